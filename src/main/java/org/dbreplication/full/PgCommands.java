package org.dbreplication.full;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ExecHeaders;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/**
 * Builds the command lines of pg_dump, pg_restore and psql for the routes' {@code exec:} endpoints (as headers, so
 * that arguments never need quoting in a URI). Connection strings carry a passfile, never a password.
 */
public class PgCommands {

    private final Settings settings;
    private final PgTools tools;

    public PgCommands(Settings settings, PgTools tools) {
        this.settings = settings;
        this.tools = tools;
    }

    /** pg_dump of one section (pre-data or post-data) of the source, in the run's snapshot. */
    public void dumpSection(Exchange exchange, String section) {
        FullRun run = run(exchange);
        List<String> args = new ArrayList<>(List.of(
                "--format=custom", "--no-owner", "--no-privileges", "--no-publications", "--no-subscriptions",
                "--no-tablespaces", "--section=" + section, "--snapshot=" + run.snapshot().id(),
                "--exclude-schema=information_schema", "--exclude-schema=pg_*",
                "--exclude-schema=" + Sql.ident(settings.databases().replicationSchema())));
        for (TableRef kept : settings.full().backupModes().keptTables().keySet()) {
            args.add("--exclude-table=" + kept.quoted());
        }
        args.add("--file=" + (section.equals("pre-data") ? run.preDataArchive() : run.postDataArchive()));
        args.add("--lock-wait-timeout=" + Math.max(1, settings.databases().sourceLockTimeoutSeconds()) + "s");
        args.add("--dbname=" + settings.databases().sourceUrl().libpqConninfo(run.passFile(), settings.databases().sourceApp("full"),
                settings.databases().sourceServerOptions()));
        ExecHeaders.command(exchange, tools.pgDump(), args);
    }

    /**
     * pg_dump of the contents of the source's large objects in the snapshot (their metadata comes with the
     * pre-data): the data section with large objects and no table data.
     */
    public void dumpLargeObjects(Exchange exchange) {
        FullRun run = run(exchange);
        ExecHeaders.command(exchange, tools.pgDump(), List.of("--format=custom", "--section=data", "-b",
                "--exclude-table-data=*.*", "--snapshot=" + run.snapshot().id(),
                "--file=" + run.largeObjectsArchive(),
                "--lock-wait-timeout=" + Math.max(1, settings.databases().sourceLockTimeoutSeconds()) + "s",
                "--dbname=" + settings.databases().sourceUrl().libpqConninfo(run.passFile(), settings.databases().sourceApp("full"),
                        settings.databases().sourceServerOptions())));
    }

    /** Whether the source has large objects whose contents must be copied. */
    public boolean hasLargeObjects(Exchange exchange) {
        return run(exchange).largeObjects() > 0;
    }

    /** pg_restore of the large objects' contents into the objects the pre-data created. */
    public void restoreLargeObjects(Exchange exchange) {
        FullRun run = run(exchange);
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--no-owner", "--no-privileges", "--exit-on-error",
                "--verbose", "--dbname=" + targetConninfo(run), run.largeObjectsArchive().toString()));
    }

    /** pg_restore --list of one archive into its list file. */
    public void listArchive(Exchange exchange, String section) {
        FullRun run = run(exchange);
        boolean pre = section.equals("pre-data");
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--list",
                "--file=" + (pre ? run.preDataList() : run.postDataList()),
                (pre ? run.preDataArchive() : run.postDataArchive()).toString()));
    }

    /** Archive mode: pg_restore --list of one section of the archive into its list file. */
    public void listArchiveSection(Exchange exchange, String section) {
        FullRun run = run(exchange);
        Path list = switch (section) {
            case "pre-data" -> run.preDataList();
            case "data" -> run.dataList();
            default -> run.postDataList();
        };
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--list", "--section=" + section, "--file=" + list,
                run.archive().toString()));
    }

    /**
     * Archive mode: reads every row of the archive (to /dev/null) before anything is dropped. A truncated or
     * corrupt file lists fine with --list but would fail half-way through the restore.
     */
    public void verifyArchiveData(Exchange exchange) {
        FullRun run = run(exchange);
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--section=data", "--file=/dev/null",
                run.archive().toString()));
    }

    /** Archive mode: one whole section of the archive as SQL, to learn which table each entry belongs to. */
    public void renderArchiveSection(Exchange exchange, String section) {
        FullRun run = run(exchange);
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--no-owner", "--no-privileges", "--section=" + section,
                "--file=" + (section.equals("pre-data") ? run.preDataFullScript() : run.postDataFullScript()),
                run.archive().toString()));
    }

    /** Archive mode: the large objects of the archive, in place (they live outside schemas). */
    public void restoreArchiveLargeObjects(Exchange exchange) {
        FullRun run = run(exchange);
        Path list = run.directory().resolve("large-objects.list");
        Toc.write(list, Toc.read(run.dataRestoreList()).entries().stream().filter(e -> e.desc().equals("BLOBS")).toList());
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--no-owner", "--no-privileges", "--exit-on-error",
                "--verbose", "--use-list=" + list, "--dbname=" + targetConninfo(run), run.archive().toString()));
    }

    /** Live source: the whole post-data archive as SQL, each item then run by JDBC ({@link PostDataItems}). */
    public void renderPostData(Exchange exchange) {
        FullRun run = run(exchange);
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--no-owner", "--no-privileges",
                "--file=" + run.postDataFullScript(), run.postDataArchive().toString()));
    }

    /** pg_restore of the filtered pre-data list into a SQL script, replayed by psql in the replacement transaction. */
    public void renderPreData(Exchange exchange) {
        FullRun run = run(exchange);
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--no-owner", "--no-privileges",
                "--use-list=" + run.preDataRestoreList(), "--file=" + run.preDataScript(),
                run.preDataArchive().toString()));
    }




    /**
     * Session settings for restore connections: more memory for index builds, optional parallel workers, and no
     * wait for WAL flush (a crash only loses work the next run redoes).
     */
    public java.util.Map<String, String> restoreSessionSettings() {
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("maintenance_work_mem", settings.full().maintenanceWorkMem());
        values.put("max_parallel_maintenance_workers", Integer.toString(settings.full().parallelMaintenanceWorkers()));
        values.put("synchronous_commit", "off");
        return values;
    }

    /** {@link #restoreSessionSettings()} as libpq's {@code options} for pg_restore's connections. */
    public String restoreServerOptions() {
        return restoreSessionSettings().entrySet().stream().map(e -> "-c " + e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(" "));
    }

    private String targetConninfo(FullRun run) {
        return settings.databases().targetUrl().libpqConninfo(run.passFile(), settings.databases().app() + ":full", restoreServerOptions());
    }

    private static FullRun run(Exchange exchange) {
        return exchange.getProperty(FullRun.PROPERTY, FullRun.class);
    }

}
