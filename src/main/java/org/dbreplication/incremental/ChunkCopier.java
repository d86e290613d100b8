package org.dbreplication.incremental;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.CopyStream;
import org.dbreplication.pg.RowSecurity;
import org.dbreplication.pg.Sql;

/**
 * Copies one chunk with COPY, streamed from the source into the target through the JDBC driver (binary when the
 * column types match on both sides), explicit column lists on both sides. The rows and the chunk's checkpoint
 * commit in one target transaction: a process killed at any moment leaves either both or neither.
 */
public class ChunkCopier {

    /** Rows a chunk added or changed on the target. */
    public record Result(TableRun table, long rows) {
    }

    /**
     * Every INSERT here writes the source's own keys: a GENERATED ALWAYS identity column refuses them without this
     * clause (COPY FROM does not need it); on other tables it changes nothing.
     */
    private static final String OVERRIDING = " OVERRIDING SYSTEM VALUE";

    private final Checkpoints checkpoints;

    public ChunkCopier(Settings settings) {
        this.checkpoints = new Checkpoints(settings.databases().replicationSchema());
    }

    public Result copy(Chunk chunk, @ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun step) {
        TableRun run = chunk.table();
        if (run.failed()) {
            return new Result(run, 0);
        }
        long start = System.nanoTime();
        try {
            return new Result(run, step.connections.withSourceAndTarget((source, target) -> execute(chunk, source, target, step)));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            run.fail(chunk + " failed: " + RowSecurity.explain(e.getMessage()));
            return new Result(run, 0);
        } finally {
            step.chunkRan(start, System.nanoTime());
        }
    }

    /** On a source connection in autocommit mode and a target one in manual-commit mode. */
    private long execute(Chunk chunk, Connection source, Connection target, IncrementalRun step) throws SQLException {
        TableRun run = chunk.table();
        return switch (chunk.kind()) {
            case APPEND -> append(chunk, source, target, step);
            case REPAIR -> inTransaction(target, () -> insertMissing(run, source, target, keyRange(chunk)));
            case LOOKBACK -> lookBack(chunk, source, target, step);
            case UPSERT -> inTransaction(target, () -> upsert(run, source, target));
        };
    }

    private interface Work {
        long run() throws SQLException;
    }

    /** Runs {@code work} in one target transaction that need not wait for the WAL flush: its rows and checkpoint
     *  are lost or kept together. */
    private static long inTransaction(Connection target, Work work) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute("SET LOCAL synchronous_commit = off");
        }
        long rows = work.run();
        target.commit();
        return rows;
    }

    /**
     * The chunk's rows and checkpoint in one transaction, committed only when the range holds as many rows on both
     * sides. The target's side is the rows it held before (counted in that transaction: none, unless somebody wrote
     * there) plus the rows the COPY inserted, as the server reports them. The source's side is counted once the COPY
     * is done: rows that committed there after the COPY read the range are copied in the same transaction; any other
     * difference fails the table and, the transaction being rolled back, leaves the range as it was.
     */
    private long append(Chunk chunk, Connection source, Connection target, IncrementalRun step) throws SQLException {
        TableRun run = chunk.table();
        long from = chunk.rangeStart();
        long to = chunk.rangeEnd();
        RangeCounts[] counted = new RangeCounts[1];
        long copied = inTransaction(target, () -> {
            long checkStart = System.nanoTime();
            long before = RangeCounts.onTarget(run, target, from, to);
            step.checkedSince(checkStart);
            long rows = stream(run, source, target, keyRange(chunk), run.table().quoted());
            checkStart = System.nanoTime();
            RangeCounts counts = new RangeCounts(RangeCounts.inSource(run, source, from, to), before + rows);
            step.checkedSince(checkStart);
            if (counts.sourceHasMore()) {
                rows += insertMissing(run, source, target, keyRange(chunk));
                checkStart = System.nanoTime();
                counts = RangeCounts.count(run, source, target, from, to);
                step.checkedSince(checkStart);
            }
            checkStart = System.nanoTime();
            counts.requireEqual(run, from, to);
            checkpoints.recordChunk(target, run, chunk, rows);
            step.checkedSince(checkStart);
            counted[0] = counts;
            return rows;
        });
        run.counted(counted[0]);
        return copied;
    }

    /** The look-back window below the watermark: rows committed late are copied, the others left alone. */
    private long lookBack(Chunk chunk, Connection source, Connection target, IncrementalRun step) throws SQLException {
        TableRun run = chunk.table();
        long checkStart = System.nanoTime();
        List<LookBackWindow.Range> ranges = LookBackWindow.rangesToRepair(run, source, target, chunk.rangeStart(), chunk.rangeEnd());
        target.commit();
        step.checkedSince(checkStart);
        long added = 0;
        for (LookBackWindow.Range range : ranges) {
            added += inTransaction(target, () -> insertMissing(run, source, target, keyRange(run, range.from(), range.to())));
        }
        return added;
    }

    private static String keyRange(Chunk chunk) {
        return keyRange(chunk.table(), chunk.rangeStart(), chunk.rangeEnd());
    }

    private static String keyRange(TableRun run, long from, long to) {
        String key = Sql.ident(run.key);
        return key + " > " + from + " AND " + key + " <= " + to;
    }

    private static String columnList(TableRun run) {
        return run.columns.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    /** COPY of the source rows matching {@code where} into {@code into} (the table or a staging table). */
    private long stream(TableRun run, Connection source, Connection target, String where, String into)
            throws SQLException {
        String columns = columnList(run);
        String format = run.binary ? " (FORMAT binary)" : "";
        String read = "COPY (SELECT " + columns + " FROM ONLY " + run.table().quoted() + " WHERE " + where + ") TO STDOUT" + format;
        String write = "COPY " + into + " (" + columns + ") FROM STDIN" + format;
        return CopyStream.copy(source, read, target, write);
    }

    private static void createStage(TableRun run, Connection target) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE replication_stage (LIKE " + run.table().quoted() + ") ON COMMIT DROP");
        }
    }

    /** Rows of the key range that the target lacks (committed late in the source), without duplicating the others. */
    private long insertMissing(TableRun run, Connection source, Connection target, String where) throws SQLException {
        createStage(run, target);
        stream(run, source, target, where, "replication_stage");
        String key = Sql.ident(run.key);
        try (Statement st = target.createStatement()) {
            long inserted = st.executeUpdate("INSERT INTO " + run.table().quoted() + " (" + columnList(run) + ")" + OVERRIDING + " SELECT "
                    + columnList(run) + " FROM replication_stage s WHERE NOT EXISTS (SELECT 1 FROM " + run.table().quoted()
                    + " t WHERE t." + key + " = s." + key + ")");
            run.rowsRepaired.addAndGet(inserted);
            return inserted;
        }
    }

    /** Upsert mode: rows whose cursor moved replace the target's rows with the same key; the cursor checkpoint moves. */
    private long upsert(TableRun run, Connection source, Connection target) throws SQLException {
        String cursor = Sql.ident(run.spec.cursor().orElseThrow());
        TableRun.CursorRange range = run.cursorRange();
        String where = (range.before() == null ? "true" : cursor + " > " + Sql.literal(range.before()) + "::" + range.type())
                + " AND " + cursor + " <= " + Sql.literal(range.upTo()) + "::" + range.type();
        createStage(run, target);
        long rows = stream(run, source, target, where, "replication_stage");
        String key = Sql.ident(run.key);
        try (Statement st = target.createStatement()) {
            st.executeUpdate("DELETE FROM " + run.table().quoted() + " t USING replication_stage s WHERE t." + key + " = s." + key);
            st.executeUpdate("INSERT INTO " + run.table().quoted() + " (" + columnList(run) + ")" + OVERRIDING + " SELECT " + columnList(run)
                    + " FROM replication_stage");
        }
        checkpoints.advance(target, run, null, range.upTo());
        return rows;
    }
}
