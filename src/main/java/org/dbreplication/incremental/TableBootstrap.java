package org.dbreplication.incremental;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ExecHeaders;
import org.dbreplication.full.Toc;
import org.dbreplication.full.TocEntry;
import org.dbreplication.pg.PassFile;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.WorkDirectory;
import org.dbreplication.pg.TableRef;

/**
 * INCREMENTAL_BOOTSTRAP: creates a table missing from the target from the source's own definition — pg_dump of
 * that table's schema (columns, defaults, owned sequences, primary key, indexes, comments), without its foreign
 * keys and triggers (the other side may not be there, and rows arrive incrementally) — replayed by psql in one
 * transaction. Command lines for the route {@code incremental-create-table}.
 */
public class TableBootstrap {

    /** The exchange property naming the table to create (a TableRef), set by IncrementalPlanner.checkTarget. */
    public static final String TABLE = "table";
    /** The files of the bootstrap under way (its Work), for its later commands and its clean-up. */
    static final String WORK = "bootstrap";

    private static final Set<String> LEFT_OUT = Set.of("FK CONSTRAINT", "TRIGGER", "POLICY", "ROW SECURITY", "RULE");
    private final Settings settings;
    private final PgTools tools;

    /** The files of one bootstrap, in its work directory. */
    private record Work(WorkDirectory directory) {
        Path archive() {
            return directory.resolve("table.dump");
        }

        Path list() {
            return directory.resolve("table.list");
        }

        Path createList() {
            return directory.resolve("create.list");
        }

        Path script() {
            return directory.resolve("create.sql");
        }

        PassFile passFile() {
            return directory.passFile();
        }
    }

    public TableBootstrap(Settings settings, PgTools tools) {
        this.settings = settings;
        this.tools = tools;
    }

    public void dumpCommand(Exchange exchange) {
        Work work = new Work(WorkDirectory.create(settings.runtime().workDir(), "bootstrap-", settings.databases().sourceUrl(),
                settings.databases().incrementalTargetUrl()));
        exchange.setProperty(WORK, work);
        TableRef table = exchange.getProperty(TABLE, TableRef.class);
        ExecHeaders.command(exchange, tools.pgDump(), List.of("--format=custom", "--schema-only", "--no-owner", "--no-privileges",
                "--table=" + table.quoted(), "--file=" + work.archive(),
                "--dbname=" + settings.databases().sourceUrl().libpqConninfo(work.passFile(), settings.databases().sourceApp("incremental"),
                        settings.databases().sourceServerOptions())));
    }

    public void listCommand(Exchange exchange) {
        Work work = work(exchange);
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--list", "--file=" + work.list(), work.archive().toString()));
    }

    public void scriptCommand(Exchange exchange) {
        Work work = work(exchange);
        Toc.write(work.createList(), Toc.read(work.list()).entries().stream()
                .filter(e -> !LEFT_OUT.contains(e.desc())).toList());
        ExecHeaders.command(exchange, tools.pgRestore(), List.of("--no-owner", "--no-privileges", "--use-list=" + work.createList(),
                "--file=" + work.script(), work.archive().toString()));
    }

    public void createCommand(Exchange exchange) {
        Work work = work(exchange);
        ExecHeaders.command(exchange, tools.psql(), List.of("--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
                "--file=" + work.script(),
                "--dbname=" + settings.databases().incrementalTargetUrl().libpqConninfo(work.passFile(), settings.databases().app() + ":incremental", null)));
    }

    public void cleanUp(Exchange exchange) {
        Work work = exchange.getProperty(WORK, Work.class);
        if (work != null) {
            work.directory().close();
        }
    }

    private static Work work(Exchange exchange) {
        return exchange.getProperty(WORK, Work.class);
    }

}
