package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a table in "incremental" mode (append by an increasing integer key): the key range to copy — above what the
 * target holds (its checkpoint, else its largest key; the whole table when it is new or empty and
 * INCREMENTAL_BOOTSTRAP=true), up to the source's largest key now — cut into chunks ({@link KeyRanges}), skipping
 * the ranges an interrupted run committed, plus one chunk checking the look-back window below the watermark.
 */
final class AppendPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(AppendPlanner.class);
    private static final List<String> INTEGER_TYPES = List.of("smallint", "integer", "bigint");
    private final Settings settings;
    private final Checkpoints checkpoints;
    private final TableCheck check;

    AppendPlanner(Settings settings, Checkpoints checkpoints, TableCheck check) {
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.check = check;
    }

    /** @param created the route has just created the target table (INCREMENTAL_BOOTSTRAP) */
    List<Chunk> plan(TableRun run, Connection source, Connection target, boolean sameMajor, boolean created,
                     IncrementalRun step) throws SQLException {
        TableRef table = run.table();
        long sourceOid = TableCheck.sourceOid(source, table);
        List<Column> sourceColumns = TableCatalog.columns(source, sourceOid);
        run.key = TableCheck.keyColumn(run, source, sourceOid, sourceColumns);
        String keyType = TableCheck.type(sourceColumns, run.key);
        if (!INTEGER_TYPES.contains(keyType)) {
            throw new TableCheck.TableException(table + ": key column " + run.key + " is " + keyType
                    + "; the incremental mode needs an increasing integer key (use the upsert mode otherwise)");
        }
        check.targetTable(run, target, created);
        long checkStart = System.nanoTime();
        check.alignColumns(run, source, target, sourceColumns, sameMajor);

        String key = Sql.ident(run.key);
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.read(target, table)
                .filter(c -> c.targetOid() == run.targetOid && c.copiedThrough() != null);
        if (checkpoint.isEmpty()) {
            checkpoints.forgetChunks(target, table);
        }
        List<Checkpoints.CommittedRange> committed = checkpoints.committedRanges(target, table, run.targetOid);
        step.checkedSince(checkStart);
        Long targetMax = IncrementalPlanner.scalarLong(target, "SELECT max(" + key + ") FROM " + table.quoted());
        long before;
        if (checkpoint.isPresent()) {
            before = checkpoint.get().copiedThrough();
        } else if (targetMax != null) {
            before = targetMax;
        } else if (created || settings.incremental().bootstrap()) {
            Long sourceMin = IncrementalPlanner.scalarLong(source, "SELECT min(" + key + ") FROM ONLY " + table.quoted());
            before = sourceMin == null ? 0 : sourceMin - 1;
            LOG.info("{} is empty on the target: copying it whole (INCREMENTAL_BOOTSTRAP)", v("table", table.toString()));
        } else {
            throw new TableCheck.TableException(table.name() + " table must not be empty on target database"
                    + " (copy it once, or set INCREMENTAL_BOOTSTRAP=true to let the incremental step copy it whole)");
        }
        Long sourceMax = IncrementalPlanner.scalarLong(source, "SELECT max(" + key + ") FROM ONLY " + table.quoted());
        TableRun.KeyRange range = new TableRun.KeyRange(before, sourceMax == null ? before : Math.max(sourceMax, before));
        run.planned(range);

        List<Chunk> chunks = new ArrayList<>();
        int lookback = settings.incremental().lookbackRows();
        if (lookback > 0 && (checkpoint.isPresent() || targetMax != null)) {
            // first, so that it runs beside the first chunks rather than after the last
            chunks.add(new Chunk(run, Chunk.Kind.LOOKBACK, before - lookback, before));
        }
        double density = keyDensity(source, run);
        List<Checkpoints.CommittedRange> resumed = committed.stream().filter(done -> done.end() > before).toList();
        long committedRows = resumed.stream().mapToLong(Checkpoints.CommittedRange::rows).sum();
        for (KeyRanges.Range gap : KeyRanges.gaps(before, range.upTo(), committed)) {
            cut(run, source, density, gap.start(), gap.end(), chunks);
        }
        run.resumedRanges = Checkpoints.merge(resumed);
        if (committedRows > 0) {
            LOG.info("{}: resuming an interrupted run, {} rows already copied are skipped", v("table", table.toString()),
                    v("skipped_rows", committedRows));
        }
        LOG.info("{}: copying keys ({}, {}] in {} chunks", v("table", table.toString()), v("from_key", before),
                v("to_key", range.upTo()), v("chunks", chunks.size()));
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
        long width = settings.incremental().chunkRows();
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
}
