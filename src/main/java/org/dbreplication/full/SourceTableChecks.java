package org.dbreplication.full;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.dbreplication.pg.RowSecurity;

/**
 * Makes sure, before anything is done on the target, that the COPY of each source table will return all its rows
 * in the snapshot — or fails the step naming the tables:
 * <ul>
 * <li>TRUNCATE and the table-rewriting commands are not MVCC-safe: a COPY in a snapshot taken before them sees the
 *     new, empty file. As pg_dump does, the snapshot's own transaction takes an ACCESS SHARE lock on every copied
 *     table (held until the copy ends, so PostgreSQL makes those commands wait); a table whose file changed between
 *     the snapshot and the lock fails the step.</li>
 * <li>A table whose row-level security applies to the source role would be read partly; PostgreSQL refuses such a
 *     COPY anyway ({@code row_security=off}), this says so before the target's schema is replaced.</li>
 * </ul>
 */
final class SourceTableChecks {

    private SourceTableChecks() {
    }

    /**
     * @param snapshot the connection whose transaction exported the snapshot (it stays open until the copy ends)
     * @throws IllegalStateException a lock not obtained within SOURCE_LOCK_TIMEOUT, tables rewritten since the
     *                               snapshot, or tables under row-level security for the role (named)
     */
    static void beforeCopy(Connection snapshot, List<SourceCatalog.SourceTable> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        try (Statement st = snapshot.createStatement()) {
            st.execute("LOCK TABLE " + tables.stream().map(t -> "ONLY " + t.ref().quoted()).collect(Collectors.joining(", "))
                    + " IN ACCESS SHARE MODE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock the source tables for the copy: "
                    + e.getMessage().lines().findFirst().orElse("") + " (a lock held on the source longer than"
                    + " SOURCE_LOCK_TIMEOUT, or a table dropped since the snapshot); the target was not touched", e);
        }
        Array oids = snapshot.createArrayOf("bigint", tables.stream().map(SourceCatalog.SourceTable::oid).toArray());
        // pg_class as read in the snapshot names the file the snapshot knows; pg_relation_filenode, the current one
        List<String> rewritten = names(snapshot, "c.relfilenode IS DISTINCT FROM pg_catalog.pg_relation_filenode(c.oid)", oids);
        if (!rewritten.isEmpty()) {
            throw new IllegalStateException("source table" + (rewritten.size() > 1 ? "s " : " ") + String.join(", ", rewritten)
                    + " truncated or rewritten (TRUNCATE, VACUUM FULL, CLUSTER, ALTER TABLE … TYPE) after the snapshot was"
                    + " taken: the snapshot may no longer see their rows; the target was not touched, run the step again");
        }
        List<String> filtered = names(snapshot, "pg_catalog.row_security_active(c.oid)", oids);
        if (!filtered.isEmpty()) {
            throw new IllegalStateException(RowSecurity.tablesFiltered(filtered) + "; the target was not touched");
        }
    }

    /** schema.name of the tables among {@code oids} for which {@code condition} holds (on pg_class c). */
    private static List<String> names(Connection snapshot, String condition, Array oids) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = snapshot.prepareStatement("SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY(?::oid[]) AND " + condition
                + " ORDER BY 1")) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
