package org.dbreplication.schemaexport;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ExecHeaders;
import org.dbreplication.pg.PassFile;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.WorkDirectory;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data catalog's schema export: pg_dump --schema-only of the target (DATABASE_URL), replayed with psql into
 * DB_SCHEMA_EXPORTER_DATABASE_TARGET. Every line psql prints is logged (debug), between a start and an end line.
 */
public class SchemaExport {

    /** The files of the export under way (its Work), for its later commands and its clean-up. */
    static final String WORK = "schemaExport";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaExport.class);
    private final Settings settings;
    private final PgTools tools;

    private record Work(WorkDirectory directory, long started) {
        Path script() {
            return directory.resolve("schema.sql");
        }

        PassFile passFile() {
            return directory.passFile();
        }
    }

    public SchemaExport(Settings settings, PgTools tools) {
        this.settings = settings;
        this.tools = tools;
    }

    public void dumpCommand(Exchange exchange) {
        Work work = new Work(WorkDirectory.create(settings.runtime().workDir(), "schema-export-", settings.databases().targetUrl(),
                settings.schemaExport().targetUrl()), System.nanoTime());
        exchange.setProperty(WORK, work);
        LOG.info("schema export started: {} -> {}", v("source", settings.databases().targetUrl().toString()),
                v("target", settings.schemaExport().targetUrl().toString()));
        ExecHeaders.command(exchange, tools.pgDump(), List.of("--schema-only", "--no-owner", "--no-privileges", "--clean",
                "--if-exists", "--exclude-schema=" + Sql.ident(settings.databases().replicationSchema()), "--file=" + work.script(),
                "--dbname=" + settings.databases().targetUrl().libpqConninfo(work.passFile(), settings.databases().app() + ":schema-export", null)));
    }

    public void replayCommand(Exchange exchange) {
        Work work = exchange.getProperty(WORK, Work.class);
        ExecHeaders.command(exchange, tools.psql(), List.of("--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1",
                "--file=" + work.script(), "--dbname="
                        + settings.schemaExport().targetUrl().libpqConninfo(work.passFile(), settings.databases().app() + ":schema-export", null)));
    }

    public void done(Exchange exchange) {
        Work work = exchange.getProperty(WORK, Work.class);
        LOG.info("schema export done in {} ms", v("duration_ms", (System.nanoTime() - work.started()) / 1_000_000));
    }

    public void cleanUp(Exchange exchange) {
        Work work = exchange.getProperty(WORK, Work.class);
        if (work != null) {
            work.directory().close();
        }
    }
}
