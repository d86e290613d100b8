package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.config.TableSpec;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.RowSecurity;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Prepares every table of the incremental step before any row moves: checks its key, aligns the target's columns
 * with the source's (schema drift), creates a missing table when INCREMENTAL_BOOTSTRAP=true, fixes the key range
 * to copy — above what the target already holds, up to the source's largest key now — and cuts it into chunks,
 * skipping chunks an interrupted run already committed, plus one chunk checking the look-back window below the
 * watermark for rows committed late. A table that cannot be prepared is marked failed; the others go on.
 */
public class IncrementalPlanner {

    /** Set by checkTarget: the table's target table is missing and the route creates it (INCREMENTAL_BOOTSTRAP). */
    public static final String CREATE_TABLE = "incrementalCreateTable";
    private static final Logger LOG = LoggerFactory.getLogger(IncrementalPlanner.class);
    private static final List<String> INTEGER_TYPES = List.of("smallint", "integer", "bigint");
    private final Settings settings;
    private final Checkpoints checkpoints;

    private final org.dbreplication.pg.SourceSlots sourceSlots;

    public IncrementalPlanner(Settings settings, org.dbreplication.pg.SourceSlots sourceSlots) {
        this.settings = settings;
        this.sourceSlots = sourceSlots;
        this.checkpoints = new Checkpoints(settings.replicationSchema());
    }

    /** The tables to copy, in the exchange property {@value IncrementalRun#PROPERTY} and as the body. */
    public List<TableRun> tables(Exchange exchange) {
        MDC.put("step", "incremental");
        List<TableRun> tables = settings.backupModes().incrementalTables().stream().map(TableRun::new).toList();
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
            if (missing && !settings.incrementalBootstrap()) {
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
                    List<Chunk> chunks = run.upsert() ? prepareUpsert(run, source, target, sameMajor, exchange)
                            : prepareAppend(run, source, target, sameMajor, exchange);
                    run.chunks = chunks.size();
                    LOG.info("{} prepared: {} chunks in {} ms", v("table", run.table().toString()), v("chunks", chunks.size()),
                            v("duration_ms", (System.nanoTime() - start) / 1_000_000));
                    return chunks;
                } finally {
                    target.setAutoCommit(false);
                }
            });
        } catch (TableException e) {
            run.fail(e.getMessage());
        } catch (Exception e) {
            run.fail(run.table() + ": " + RowSecurity.explain(e.getMessage()));
        }
        org.dbreplication.runtime.Shutdown.logFailure(LOG, "{}", v("error", run.failure()));
        return List.of();
    }

    private List<Chunk> prepareAppend(TableRun run, Connection source, Connection target, boolean sameMajor,
                                      Exchange exchange) throws SQLException {
        TableRef table = run.table();
        long sourceOid = sourceOid(source, table);
        List<Column> sourceColumns = TableCatalog.columns(source, sourceOid);
        run.key = keyColumn(run, source, sourceOid, sourceColumns);
        String keyType = type(sourceColumns, run.key);
        if (!INTEGER_TYPES.contains(keyType)) {
            throw new TableException(table + ": key column " + run.key + " is " + keyType
                    + "; the incremental mode needs an increasing integer key (use the upsert mode otherwise)");
        }
        boolean created = ensureTargetTable(run, target, exchange);
        IncrementalRun step = exchange.getProperty(IncrementalRun.PROPERTY, IncrementalRun.class);
        long checkStart = System.nanoTime();
        alignColumns(run, source, target, sourceColumns, sameMajor);

        String key = Sql.ident(run.key);
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.read(target, table)
                .filter(c -> c.targetOid() == run.targetOid && c.copiedThrough() != null);
        if (checkpoint.isEmpty()) {
            checkpoints.forgetChunks(target, table);
        }
        List<Checkpoints.CommittedRange> committed = checkpoints.committedRanges(target, table, run.targetOid);
        step.checkedSince(checkStart);
        Long targetMax = scalarLong(target, "SELECT max(" + key + ") FROM " + table.quoted());
        if (checkpoint.isPresent()) {
            run.before = checkpoint.get().copiedThrough();
        } else if (targetMax != null) {
            run.before = targetMax;
        } else if (created || settings.incrementalBootstrap()) {
            Long sourceMin = scalarLong(source, "SELECT min(" + key + ") FROM ONLY " + table.quoted());
            run.before = sourceMin == null ? 0 : sourceMin - 1;
            LOG.info("{} is empty on the target: copying it whole (INCREMENTAL_BOOTSTRAP)", v("table", table.toString()));
        } else {
            throw new TableException(table.name() + " table must not be empty on target database"
                    + " (copy it once, or set INCREMENTAL_BOOTSTRAP=true to let the incremental step copy it whole)");
        }
        Long sourceMax = scalarLong(source, "SELECT max(" + key + ") FROM ONLY " + table.quoted());
        run.upTo = sourceMax == null ? run.before : Math.max(sourceMax, run.before);

        List<Chunk> chunks = new ArrayList<>();
        int lookback = settings.incrementalLookbackRows();
        if (lookback > 0 && (checkpoint.isPresent() || targetMax != null)) {
            // first, so that it runs beside the first chunks rather than after the last
            chunks.add(new Chunk(run, Chunk.Kind.LOOKBACK, run.before - lookback, run.before));
        }
        double density = keyDensity(source, run);
        List<Checkpoints.CommittedRange> resumed = committed.stream().filter(done -> done.end() > run.before).toList();
        long committedRows = resumed.stream().mapToLong(Checkpoints.CommittedRange::rows).sum();
        for (KeyRanges.Range gap : KeyRanges.gaps(run.before, run.upTo, committed)) {
            cut(run, source, density, gap.start(), gap.end(), chunks);
        }
        run.resumedRanges = Checkpoints.merge(resumed);
        if (committedRows > 0) {
            LOG.info("{}: resuming an interrupted run, {} rows already copied are skipped", v("table", table.toString()),
                    v("skipped_rows", committedRows));
        }
        LOG.info("{}: copying keys ({}, {}] in {} chunks", v("table", table.toString()), v("from_key", run.before),
                v("to_key", run.upTo), v("chunks", chunks.size()));
        return chunks;
    }

    /**
     * Cuts (from, to] into APPEND chunks of at most INCREMENTAL_CHUNK_ROWS rows. Keys are usually dense (a
     * sequence): chunks are then key ranges of that width, decided without reading the table. Where the source's
     * statistics say keys are sparse, the boundaries are read from the keys actually present (one index-only pass).
     */
    private void cut(TableRun run, Connection source, double density, long from, long to, List<Chunk> chunks)
            throws SQLException {
        if (to <= from) {
            return;
        }
        long width = settings.incrementalChunkRows();
        if (KeyRanges.cutByWidth(density, from, to, width)) {
            KeyRanges.byWidth(from, to, width).forEach(r -> chunks.add(new Chunk(run, Chunk.Kind.APPEND, r.start(), r.end())));
            run.expectedRows += (long) (density * (to - from));
            return;
        }
        String key = Sql.ident(run.key);
        List<Long> boundaries = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement("SELECT k FROM (SELECT " + key + " AS k, row_number() OVER (ORDER BY "
                + key + ") AS n FROM ONLY " + run.table().quoted() + " WHERE " + key + " > ? AND " + key + " <= ?) s"
                + " WHERE n % ? = 0 ORDER BY k")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setLong(3, width);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boundaries.add(rs.getLong(1));
                }
            }
        }
        List<KeyRanges.Range> ranges = KeyRanges.atBoundaries(from, to, boundaries);
        ranges.forEach(r -> chunks.add(new Chunk(run, Chunk.Kind.APPEND, r.start(), r.end())));
        // each range up to a boundary holds width rows; the last one, past the last boundary, half as many on average
        run.expectedRows += (long) width * boundaries.size() + (ranges.size() > boundaries.size() ? width / 2 : 0);
    }

    /** Rows per key of the source table, from its statistics (0 when unknown). */
    private static double keyDensity(Connection source, TableRun run) throws SQLException {
        String key = Sql.ident(run.key);
        try (PreparedStatement ps = source.prepareStatement("SELECT c.reltuples, (SELECT min(" + key + ") FROM ONLY "
                + run.table().quoted() + "), (SELECT max(" + key + ") FROM ONLY " + run.table().quoted() + ")"
                + " FROM pg_catalog.pg_class c WHERE c.oid = ?::regclass")) {
            ps.setString(1, run.table().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double tuples = rs.getDouble(1);
                long min = rs.getLong(2);
                long max = rs.getLong(3);
                return tuples <= 0 || rs.wasNull() ? 0 : Math.min(1.0, tuples / Math.max(1, max - min + 1));
            }
        }
    }

    private List<Chunk> prepareUpsert(TableRun run, Connection source, Connection target, boolean sameMajor,
                                      Exchange exchange) throws SQLException {
        TableRef table = run.table();
        long sourceOid = sourceOid(source, table);
        List<Column> sourceColumns = TableCatalog.columns(source, sourceOid);
        run.key = keyColumn(run, source, sourceOid, sourceColumns);
        String cursorColumn = run.spec.cursor().orElseThrow();
        String cursorType = type(sourceColumns, cursorColumn);
        if (cursorType == null) {
            throw new TableException(table + ": cursor column " + cursorColumn + " does not exist in the source");
        }
        boolean created = ensureTargetTable(run, target, exchange);
        alignColumns(run, source, target, sourceColumns, sameMajor);
        String cursor = Sql.ident(cursorColumn);
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.read(target, table)
                .filter(c -> c.targetOid() == run.targetOid && c.cursorThrough() != null);
        String targetMax = scalarText(target, "SELECT max(" + cursor + ")::text FROM " + table.quoted());
        if (checkpoint.isPresent()) {
            run.cursorBefore = checkpoint.get().cursorThrough();
        } else if (targetMax != null) {
            run.cursorBefore = targetMax;
        } else if (!created && !settings.incrementalBootstrap()) {
            throw new TableException(table.name() + " table must not be empty on target database"
                    + " (copy it once, or set INCREMENTAL_BOOTSTRAP=true to let the incremental step copy it whole)");
        }
        run.cursorUpTo = scalarText(source, "SELECT max(" + cursor + ")::text FROM ONLY " + table.quoted());
        if (run.cursorUpTo == null) {
            return List.of();
        }
        if (run.cursorBefore != null && cursorType.startsWith("timestamp") || cursorType.equals("date")) {
            // rows updated by transactions that committed after the last run read the cursor's maximum
            if (run.cursorBefore != null) {
                try (PreparedStatement ps = target.prepareStatement("SELECT (?::" + cursorType + " - ?::interval)::text")) {
                    ps.setString(1, run.cursorBefore);
                    ps.setString(2, settings.incrementalUpsertLookback());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        run.cursorBefore = rs.getString(1);
                    }
                }
            }
        }
        run.cursorType = cursorType;
        run.expectedRows = 0;
        LOG.info("{}: upserting rows whose {} is in ({}, {}]", v("table", table.toString()), v("cursor", cursorColumn),
                v("from_cursor", String.valueOf(run.cursorBefore)), v("to_cursor", run.cursorUpTo));
        return List.of(new Chunk(run, Chunk.Kind.UPSERT, 0, 0));
    }

    private static long sourceOid(Connection source, TableRef table) throws SQLException {
        long oid = TableCatalog.oid(source, table).orElseThrow(() ->
                new TableException(table + " does not exist in the source database (BACKUP_MODE names it)"));
        if (TableCatalog.partitioned(source, oid)) {
            // every read here is FROM ONLY the table, which holds no rows of its own: nothing would ever be copied
            throw new TableException(table + " is a partitioned table in the source: its rows are in its partitions;"
                    + " name the partitions in BACKUP_MODE instead");
        }
        return oid;
    }

    private static String keyColumn(TableRun run, Connection source, long sourceOid, List<Column> columns) throws SQLException {
        if (run.spec.key().isPresent()) {
            String key = run.spec.key().get();
            if (type(columns, key) == null) {
                throw new TableException(run.table() + ": key column " + key + " (BACKUP_MODE) does not exist in the source");
            }
            return key;
        }
        List<String> primaryKey = TableCatalog.primaryKey(source, sourceOid);
        if (primaryKey.size() != 1) {
            throw new TableException(run.table() + " has no single-column primary key in the source: name its key in"
                    + " BACKUP_MODE, e.g. {\"" + run.table().name() + "\": {\"mode\": \"incremental\", \"key\": \"id\"}}");
        }
        return primaryKey.get(0);
    }

    private static String type(List<Column> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).map(Column::type).findFirst().orElse(null);
    }

    /** The target table's oid; true when the route has just created it (checkTarget, then the bootstrap). */
    private boolean ensureTargetTable(TableRun run, Connection target, Exchange exchange) throws SQLException {
        boolean created = exchange.getProperty(CREATE_TABLE, false, Boolean.class);
        if (created) {
            LOG.info("{} created on the target from the source's definition", v("table", run.table().toString()));
        }
        run.targetOid = TableCatalog.oid(target, run.table())
                .orElseThrow(() -> new TableException(run.table() + " could not be created on the target"));
        return created;
    }

    /** Applies the source's added and widened columns to the target, or stops the table on an incompatible change. */
    private void alignColumns(TableRun run, Connection source, Connection target, List<Column> sourceColumns,
                              boolean sameMajor) throws SQLException {
        List<Column> targetColumns = TableCatalog.columns(target, run.targetOid);
        SchemaDrift.Result drift = SchemaDrift.compare(run.table(), sourceColumns, targetColumns);
        if (!drift.compatible()) {
            throw new TableException(run.table() + ": the source's columns changed incompatibly: "
                    + String.join("; ", drift.problems()) + ". Nothing of this table was copied.");
        }
        if (!drift.statements().isEmpty()) {
            boolean autoCommit = target.getAutoCommit();
            target.setAutoCommit(false);
            try (Statement st = target.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '" + settings.targetLockTimeoutSeconds() + "s'");
                for (String statement : drift.statements()) {
                    st.execute(statement);
                }
                target.commit();
            } catch (SQLException e) {
                target.rollback();
                throw new TableException(run.table() + ": cannot apply the source's column changes ("
                        + String.join("; ", drift.changes()) + "): " + e.getMessage());
            } finally {
                target.setAutoCommit(autoCommit);
            }
            drift.changes().forEach(change -> LOG.warn("{}: schema drift applied: {}", v("table", run.table().toString()),
                    v("change", change)));
            targetColumns = TableCatalog.columns(target, run.targetOid);
        }
        Map<String, String> targetTypes = targetColumns.stream().collect(Collectors.toMap(Column::name, Column::type));
        run.columns = sourceColumns.stream().map(Column::name).toList();
        run.binary = sameMajor && sourceColumns.stream().allMatch(c -> c.type().equals(targetTypes.get(c.name())));
    }

    static Long scalarLong(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long value = rs.getLong(1);
            return rs.wasNull() ? null : value;
        }
    }

    private static String scalarText(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A table cannot be replicated; the message names it and says why. */
    static class TableException extends RuntimeException {
        TableException(String message) {
            super(message);
        }
    }
}
