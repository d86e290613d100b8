package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.RowSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The incremental step's planning, as the route calls it: the tables of BACKUP_MODE, then for each one its target
 * table (checkTarget: missing → created by the route with INCREMENTAL_BOOTSTRAP, or the table fails) and its chunks
 * (prepare), before any of its rows move. The rules are in {@link TableCheck} (source table, key, columns),
 * {@link AppendPlanner} (key ranges of the "incremental" mode) and {@link UpsertPlanner} (cursor range of the
 * "upsert" mode). A table that cannot be prepared is marked failed; the others go on.
 */
public class IncrementalPlanner {

    /** Set by checkTarget: the table's target table is missing and the route creates it (INCREMENTAL_BOOTSTRAP). */
    public static final String CREATE_TABLE = "incrementalCreateTable";
    private static final Logger LOG = LoggerFactory.getLogger(IncrementalPlanner.class);
    private final Settings settings;
    private final org.dbreplication.pg.SourceSlots sourceSlots;
    private final AppendPlanner append;
    private final UpsertPlanner upsert;

    public IncrementalPlanner(Settings settings, org.dbreplication.pg.SourceSlots sourceSlots) {
        this.settings = settings;
        this.sourceSlots = sourceSlots;
        Checkpoints checkpoints = new Checkpoints(settings.databases().replicationSchema());
        TableCheck check = new TableCheck(settings);
        this.append = new AppendPlanner(settings, checkpoints, check);
        this.upsert = new UpsertPlanner(settings, checkpoints, check);
    }

    /** The tables to copy, in the exchange property {@value IncrementalRun#PROPERTY} and as the body. */
    public List<TableRun> tables(Exchange exchange) {
        MDC.put("step", "incremental");
        List<TableRun> tables = settings.full().backupModes().incrementalTables().stream().map(TableRun::new).toList();
        exchange.setProperty(IncrementalRun.PROPERTY, new IncrementalRun(tables, new RunConnections(settings, sourceSlots)));
        if (tables.isEmpty()) {
            LOG.info("no incremental table in BACKUP_MODE: nothing to copy");
        }
        return tables;
    }

    /**
     * First of a table's preparation: is its target table there? When it is missing and INCREMENTAL_BOOTSTRAP=true,
     * the exchange property {@value #CREATE_TABLE} asks the route to create it (direct:incremental-create-table, with
     * the table in the property {@value TableBootstrap#TABLE}); missing without the bootstrap, the table fails here
     * (the others go on).
     */
    public void checkTarget(Exchange exchange) {
        MDC.put("step", "incremental");
        TableRun run = exchange.getIn().getBody(TableRun.class);
        exchange.setProperty(TableRun.PROPERTY, run);
        exchange.setProperty(TableBootstrap.TABLE, run.table());
        exchange.setProperty(CREATE_TABLE, false);
        try {
            IncrementalRun step = exchange.getProperty(IncrementalRun.PROPERTY, IncrementalRun.class);
            boolean missing = step.connections.withTarget(target -> TableCatalog.oid(target, run.table()).isEmpty());
            if (missing && !settings.incremental().bootstrap()) {
                run.fail(run.table().name() + " table must not be empty on target database"
                        + " (it does not exist there; INCREMENTAL_BOOTSTRAP=true creates it from the source's definition)");
            } else if (missing) {
                exchange.setProperty(CREATE_TABLE, true);
            }
        } catch (Exception e) {
            run.fail(run.table() + ": " + RowSecurity.explain(e.getMessage()));
        }
        if (run.failed()) {
            org.dbreplication.runtime.Shutdown.logFailure(LOG, "{}", v("error", run.failure()));
        }
    }

    /** The route could not create the missing target table: the table fails, the others go on. */
    public void creationFailed(Exchange exchange) {
        TableRun run = exchange.getProperty(TableRun.PROPERTY, TableRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        run.fail(run.table() + ": cannot create it on the target: " + (cause == null ? "unknown error" : cause.getMessage()));
        exchange.setProperty(CREATE_TABLE, false);
        org.dbreplication.runtime.Shutdown.logFailure(LOG, "{}", v("error", run.failure()));
    }

    /**
     * Prepares one table and returns its chunks (none when it failed: the failure is kept on the table). Tables
     * are prepared in parallel, while the chunks of the tables already prepared are being copied.
     */
    public List<Chunk> prepare(Exchange exchange) {
        MDC.put("step", "incremental");
        TableRun run = exchange.getProperty(TableRun.PROPERTY, TableRun.class);
        if (run.failed()) {
            return List.of();
        }
        long start = System.nanoTime();
        try {
            IncrementalRun step = exchange.getProperty(IncrementalRun.PROPERTY, IncrementalRun.class);
            return step.connections.withSourceAndTarget((source, target) -> {
                target.setAutoCommit(true); // planning commits as it goes: drift, forgotten chunks
                try {
                    boolean sameMajor = PgTools.serverMajorVersion(source) == PgTools.serverMajorVersion(target);
                    boolean created = exchange.getProperty(CREATE_TABLE, false, Boolean.class);
                    List<Chunk> chunks = run.upsert() ? upsert.plan(run, source, target, sameMajor, created)
                            : append.plan(run, source, target, sameMajor, created, step);
                    run.chunks = chunks.size();
                    LOG.info("{} prepared: {} chunks in {} ms", v("table", run.table().toString()), v("chunks", chunks.size()),
                            v("duration_ms", (System.nanoTime() - start) / 1_000_000));
                    return chunks;
                } finally {
                    target.setAutoCommit(false);
                }
            });
        } catch (TableCheck.TableException e) {
            run.fail(e.getMessage());
        } catch (Exception e) {
            run.fail(run.table() + ": " + RowSecurity.explain(e.getMessage()));
        }
        org.dbreplication.runtime.Shutdown.logFailure(LOG, "{}", v("error", run.failure()));
        return List.of();
    }










    static Long scalarLong(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        }
    }


}
