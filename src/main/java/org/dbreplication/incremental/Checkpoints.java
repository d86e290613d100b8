package org.dbreplication.incremental;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/** Reads and writes the checkpoint tables of the tool's schema on the target (see V1__incremental_checkpoints.sql). */
final class Checkpoints {

    record Checkpoint(long targetOid, Long copiedThrough, String cursorThrough) {
    }

    record CommittedRange(long start, long end, long rows) {
    }

    private final String checkpoints;
    private final String chunks;

    Checkpoints(String schema) {
        this.checkpoints = Sql.ident(schema) + ".incremental_checkpoints";
        this.chunks = Sql.ident(schema) + ".incremental_chunks";
    }

    Optional<Checkpoint> read(Connection target, TableRef table) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT target_table_oid, copied_through, cursor_through FROM "
                + checkpoints + " WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long through = rs.getLong(2);
                Long copiedThrough = rs.wasNull() ? null : through;
                return Optional.of(new Checkpoint(rs.getLong(1), copiedThrough, rs.getString(3)));
            }
        }
    }

    /** Chunks committed above the watermark by an unfinished run of this same target table. */
    List<CommittedRange> committedRanges(Connection target, TableRef table, long targetOid) throws SQLException {
        List<CommittedRange> ranges = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT range_start, range_end, rows FROM " + chunks
                + " WHERE table_schema = ? AND table_name = ? AND target_table_oid = ? ORDER BY range_start")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            ps.setLong(3, targetOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ranges.add(new CommittedRange(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return ranges;
    }

    /** Adjacent ranges joined, so that each stretch of committed chunks is counted with one query. */
    static List<CommittedRange> merge(List<CommittedRange> sorted) {
        List<CommittedRange> merged = new ArrayList<>();
        for (CommittedRange range : sorted) {
            CommittedRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.end() == range.start()) {
                merged.set(merged.size() - 1, new CommittedRange(last.start(), range.end(), last.rows() + range.rows()));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    void forgetChunks(Connection target, TableRef table) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("DELETE FROM " + chunks + " WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            ps.executeUpdate();
        }
    }

    /** Records a copied chunk; called in the chunk's own transaction. */
    void recordChunk(Connection target, TableRun run, Chunk chunk, long rows) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + chunks
                + " (table_schema, table_name, target_table_oid, range_start, range_end, rows) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, run.table().schema());
            ps.setString(2, run.table().name());
            ps.setLong(3, run.targetOid);
            ps.setLong(4, chunk.rangeStart());
            ps.setLong(5, chunk.rangeEnd());
            ps.setLong(6, rows);
            ps.executeUpdate();
        }
    }

    /** Moves a table's watermark (incremental: key; upsert: cursor) and forgets its chunks; in the caller's transaction. */
    void advance(Connection target, TableRun run, Long copiedThrough, String cursorThrough) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + checkpoints
                + " (table_schema, table_name, mode, key_column, target_table_oid, copied_through, cursor_column, cursor_through)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (table_schema, table_name) DO UPDATE SET mode = EXCLUDED.mode,"
                + " key_column = EXCLUDED.key_column, target_table_oid = EXCLUDED.target_table_oid,"
                + " copied_through = EXCLUDED.copied_through, cursor_column = EXCLUDED.cursor_column,"
                + " cursor_through = EXCLUDED.cursor_through, updated_at = now()")) {
            ps.setString(1, run.table().schema());
            ps.setString(2, run.table().name());
            ps.setString(3, run.spec.mode().setting());
            ps.setString(4, run.key);
            ps.setLong(5, run.targetOid);
            if (copiedThrough == null) {
                ps.setNull(6, java.sql.Types.BIGINT);
            } else {
                ps.setLong(6, copiedThrough);
            }
            ps.setString(7, run.spec.cursor().orElse(null));
            ps.setString(8, cursorThrough);
            ps.executeUpdate();
        }
        forgetChunks(target, run.table());
    }
}
