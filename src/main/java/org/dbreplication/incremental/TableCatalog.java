package org.dbreplication.incremental;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dbreplication.pg.TableRef;

/** What the incremental step reads of a table's definition, on either side. */
final class TableCatalog {

    private TableCatalog() {
    }

    /** The table's OID, or empty when it does not exist. */
    static Optional<Long> oid(Connection connection, TableRef table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.to_regclass(?)::oid")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long oid = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(oid);
            }
        }
    }

    /** Whether the relation is a partitioned table (its rows are in its partitions, none in itself). */
    static boolean partitioned(Connection connection, long oid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT relkind = 'p' FROM pg_catalog.pg_class WHERE oid = ?")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Stored columns in their order (generated columns are left out: they cannot be copied). */
    static List<Column> columns(Connection connection, long oid) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                FROM pg_catalog.pg_attribute a
                LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                ORDER BY a.attnum
                """)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        return columns;
    }

    /** The columns of the primary key. */
    static List<String> primaryKey(Connection connection, long oid) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT a.attname FROM pg_catalog.pg_index i
                JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = ? AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
                """)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }
}
