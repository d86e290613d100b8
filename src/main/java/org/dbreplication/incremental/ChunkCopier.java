package org.dbreplication.incremental;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.CopyStream;
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

    private final Settings settings;
    private final Checkpoints checkpoints;

    private final org.dbreplication.pg.SourceSlots sourceSlots;

    public ChunkCopier(Settings settings, org.dbreplication.pg.SourceSlots sourceSlots) {
        this.settings = settings;
        this.sourceSlots = sourceSlots;
        this.checkpoints = new Checkpoints(settings.replicationSchema());
    }

    public Result copy(Chunk chunk, @ExchangeProperty(IncrementalRun.PROPERTY) IncrementalRun step) {
        TableRun run = chunk.table();
        if (run.failed()) {
            return new Result(run, 0);
        }
        long start = System.nanoTime();
        try {
            return new Result(run, sourceSlots.withSlot(() -> execute(chunk)));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            run.fail(chunk + " failed: " + e.getMessage());
            return new Result(run, 0);
        } finally {
            if (step != null) {
                step.chunkRan(start, System.nanoTime());
            }
        }
    }

    long execute(Chunk chunk) throws SQLException {
        TableRun run = chunk.table();
        try (Connection source = Connections.openSource(settings, "incremental");
             Connection target = Connections.open(settings.incrementalTargetUrl(), settings.app() + ":incremental")) {
            source.setReadOnly(true);
            target.setAutoCommit(false);
            try (Statement st = target.createStatement()) {
                // the chunk's rows and checkpoint are lost or kept together: no need to wait for the WAL flush
                st.execute("SET LOCAL synchronous_commit = off");
            }
            long rows = switch (chunk.kind()) {
                case APPEND -> {
                    long copied = stream(run, source, target, keyRange(chunk), run.table().quoted());
                    checkpoints.recordChunk(target, run, chunk, copied);
                    yield copied;
                }
                case REPAIR -> insertMissing(run, source, target, keyRange(chunk));
                case UPSERT -> upsert(run, source, target);
            };
            target.commit();
            return rows;
        }
    }

    private String keyRange(Chunk chunk) {
        String key = Sql.ident(chunk.table().key);
        return key + " > " + chunk.rangeStart() + " AND " + key + " <= " + chunk.rangeEnd();
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
            long inserted = st.executeUpdate("INSERT INTO " + run.table().quoted() + " (" + columnList(run) + ") SELECT "
                    + columnList(run) + " FROM replication_stage s WHERE NOT EXISTS (SELECT 1 FROM " + run.table().quoted()
                    + " t WHERE t." + key + " = s." + key + ")");
            run.rowsRepaired.addAndGet(inserted);
            return inserted;
        }
    }

    /** Upsert mode: rows whose cursor moved replace the target's rows with the same key; the cursor checkpoint moves. */
    private long upsert(TableRun run, Connection source, Connection target) throws SQLException {
        String cursor = Sql.ident(run.spec.cursor().orElseThrow());
        String where = (run.cursorBefore == null ? "true" : cursor + " > " + Sql.literal(run.cursorBefore) + "::" + run.cursorType)
                + " AND " + cursor + " <= " + Sql.literal(run.cursorUpTo) + "::" + run.cursorType;
        createStage(run, target);
        long rows = stream(run, source, target, where, "replication_stage");
        String key = Sql.ident(run.key);
        try (Statement st = target.createStatement()) {
            st.executeUpdate("DELETE FROM " + run.table().quoted() + " t USING replication_stage s WHERE t." + key + " = s." + key);
            st.executeUpdate("INSERT INTO " + run.table().quoted() + " (" + columnList(run) + ") SELECT " + columnList(run)
                    + " FROM replication_stage");
        }
        checkpoints.advance(target, run, null, run.cursorUpTo);
        return rows;
    }
}
