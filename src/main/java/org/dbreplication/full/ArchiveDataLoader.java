package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ProcessCommandExecutor;
import org.dbreplication.exec.ToolErrors;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.TableRef;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Archive sources (BACKUP_SOURCE file, url, scalingo): loads the archive's rows into the new copy's tables,
 * PG_RESTORE_JOBS tables at a time. For each table a {@code pg_restore} writes the table's data as SQL on its stdout
 * ({@code COPY schema.table (…) FROM stdin;} then one line per row, then {@code \.}); the COPY statement is redirected
 * to where the new copy is built ({@link FullRun#names()}) and the rows are streamed into it by JDBC, never held in
 * memory. The lines streamed are counted (the archive's row count) against the rows the new copy's COPY wrote.
 * Then the sequence values of the archive are set the same way; large objects, which live outside schemas, are
 * restored in place by pg_restore.
 */
public class ArchiveDataLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveDataLoader.class);
    private static final Pattern COPY = Pattern.compile("^COPY (\"(?:[^\"]|\"\")*\"|[^.\" ]+)\\.(\"(?:[^\"]|\"\")*\"|[^.\" (]+) .*FROM stdin;$");
    private static final Pattern ENCODING = Pattern.compile("^SET client_encoding = '([^']+)';$");
    private final Settings settings;
    private final PgTools tools;
    private final PgCommands commands;

    public ArchiveDataLoader(Settings settings, PgTools tools, PgCommands commands) {
        this.settings = settings;
        this.tools = tools;
        this.commands = commands;
    }

    public void load(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws Exception {
        List<TocEntry> entries = Toc.read(run.dataRestoreList()).entries();
        List<TocEntry> tables = entries.stream().filter(e -> e.desc().equals("TABLE DATA")).toList();
        Instant start = Instant.now();
        ConcurrentLinkedQueue<TocEntry> queue = new ConcurrentLinkedQueue<>(tables);
        int jobs = Math.max(1, Math.min(settings.full().restoreJobs(), tables.size()));
        String step = MDC.get("step");
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(r, "archive-load"));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                workers.add(pool.submit(() -> {
                    if (step != null) {
                        MDC.put("step", step);
                    }
                    try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full",
                            commands.restoreServerOptions())) {
                        TocEntry table;
                        while ((table = queue.poll()) != null) {
                            loadTable(table, target, run);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    queue.clear();
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        setSequences(entries.stream().filter(e -> e.desc().equals("SEQUENCE SET")).toList(), run);
        LOG.info("archive rows loaded: {} tables in {} ms", v("tables", tables.size()),
                v("duration_ms", Duration.between(start, Instant.now()).toMillis()));
    }

    /** Whether the archive holds large objects ({@link PgCommands#restoreLargeObjects}: in place, by pg_restore). */
    public boolean hasLargeObjects(@ExchangeProperty(FullRun.PROPERTY) FullRun run) {
        return Toc.read(run.dataRestoreList()).entries().stream().anyMatch(e -> e.desc().equals("BLOBS"));
    }

    private void loadTable(TocEntry item, Connection target, FullRun run) throws Exception {
        Path list = run.directory().resolve("data-" + item.dumpId() + ".list");
        Toc.write(list, List.of(item));
        Instant start = Instant.now();
        Process restore = ProcessCommandExecutor.startStreaming(List.of(tools.pgRestore(), "--data-only",
                "--use-list=" + list, "--file=-", run.archive().toString()));
        long read = 0;
        long written;
        TableRef table = null;
        try (InputStream out = new BufferedInputStream(restore.getInputStream(), 1 << 16)) {
            java.util.concurrent.CompletableFuture<String> errors = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> readAll(restore.getErrorStream()));
            String encoding = "UTF8";
            CopyIn copy = null;
            byte[] line;
            while (copy == null && (line = readLine(out)) != null) {
                String text = new String(line, StandardCharsets.UTF_8).strip();
                Matcher m;
                if ((m = ENCODING.matcher(text)).matches()) {
                    encoding = m.group(1);
                } else if ((m = COPY.matcher(text)).matches()) {
                    table = new TableRef(ArchiveSql.unquote(m.group(1)), ArchiveSql.unquote(m.group(2)));
                    String statement = run.names().rewrite(text.substring(0, text.length() - 1))
                            + " WITH (ENCODING '" + encoding.replace("'", "''") + "')";
                    copy = target.unwrap(PGConnection.class).getCopyAPI().copyIn(statement);
                }
            }
            if (copy != null) {
                read = streamRows(out, copy);
            }
            if (copy == null) {
                throw new IllegalStateException("pg_restore wrote no COPY for " + item.objectName());
            }
            written = copy.endCopy();
            out.transferTo(java.io.OutputStream.nullOutputStream());
            int exit = restore.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(ToolErrors.parse("pg_restore", List.of(errors.join().split("\n"))).summary(exit));
            }
        } catch (SQLException e) {
            throw new SQLException("copy of " + (table == null ? item.objectName() : table) + " failed: "
                    + ObjectFailures.errorLine(e), e.getSQLState(), e);
        } finally {
            restore.destroy();
            ProcessCommandExecutor.finished(restore);
            Files.deleteIfExists(list);
        }
        run.copied(table, read, written);
        run.items().add(new RestoreItem("TABLE DATA", table.toString(), start, Instant.now(), written));
        long millis = Math.max(1, Duration.between(start, Instant.now()).toMillis());
        LOG.info("table data restored: {} {} rows in {} ms ({} rows/s)", v("table", table.toString()), v("rows", written),
                v("duration_ms", millis), v("rows_per_s", written * 1000 / millis));
    }

    /** The archive's SEQUENCE SET items: {@code SELECT pg_catalog.setval('public.s', 5, true);}, redirected. */
    private void setSequences(List<TocEntry> items, FullRun run) throws Exception {
        if (items.isEmpty()) {
            return;
        }
        Path list = run.directory().resolve("sequences.list");
        Path script = run.directory().resolve("sequences.sql");
        Toc.write(list, items);
        Process render = ProcessCommandExecutor.startStreaming(List.of(tools.pgRestore(), "--data-only",
                "--use-list=" + list, "--file=" + script, run.archive().toString()));
        try {
            String errors = readAll(render.getErrorStream());
            int exit = render.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(ToolErrors.parse("pg_restore", List.of(errors.split("\n"))).summary(exit));
            }
        } finally {
            ProcessCommandExecutor.finished(render);
        }
        RenderedScript sql = RenderedScript.read(script);
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             Statement st = target.createStatement()) {
            for (String setting : sql.settings()) {
                st.execute(setting);
            }
            for (RenderedScript.Entry entry : sql.entries()) {
                Instant start = Instant.now();
                st.execute(run.names().rewrite(entry.sql()));
                run.items().add(new RestoreItem("SEQUENCE SET", entry.schema() + "." + entry.name(), start, Instant.now(), -1));
            }
        }
    }

    /**
     * Streams the rows that follow a COPY statement in pg_restore's output into {@code copy}, in chunks, and counts
     * them: one row per line (COPY's text format escapes a newline inside a value) up to the end-of-data line
     * {@code \.}. What follows that line is written too and ignored by the server (PostgreSQL stops reading a COPY
     * at its end-of-data line), which spares looking for the line across chunk boundaries.
     */
    static long streamRows(InputStream in, CopyIn copy) throws IOException, SQLException {
        byte[] buffer = new byte[1 << 16];
        long rows = 0;
        // 0: at a line's start, 1: after a backslash there, 2: after backslash-period there, 3: inside a line, 4: ended
        int state = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (state != 4) {
                copy.writeToCopy(buffer, 0, n);
            }
            for (int i = 0; i < n && state != 4; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    if (state == 2) {
                        state = 4;
                    } else {
                        rows++;
                        state = 0;
                    }
                } else {
                    state = state == 0 && b == '\\' ? 1 : state == 1 && b == '.' ? 2 : 3;
                }
            }
        }
        return rows;
    }

    /** One line with its newline, or null at the end (rows are COPY text lines: a newline in a value is escaped). */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
