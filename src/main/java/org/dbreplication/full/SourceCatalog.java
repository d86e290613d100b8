package org.dbreplication.full;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/**
 * Catalog facts about the objects of the archives, read inside the source snapshot so that they describe exactly
 * what pg_dump saw: who an entry is (type + qualified identity), which table an index or constraint belongs to,
 * how big a table is and which of its columns to copy.
 */
final class SourceCatalog {

    /** What pg_identify_object says of a catalog object; {@code identity} is quoted and schema-qualified. */
    record ObjectIdentity(String type, String schema, String identity) {
    }

    /** A table whose rows the tool copies itself. */
    record SourceTable(long oid, TableRef ref, long bytes, long pages, List<String> columns, boolean binaryCopyable,
                       long estimatedRows) {
        // estimatedRows: the statistics' row count (pg_class.reltuples), -1 when the table was never analyzed
    }

    /** The table a post-data item belongs to and, for a foreign key, the table it references. */
    record Owner(long tableOid, long referencedTableOid, char relkind) {
    }

    record ForeignKey(TableRef table, String name, String definition) {
    }

    /** A sequence's state as pg_dump's SEQUENCE SET gives it: {@code setval(sequence, lastValue, isCalled)}. */
    record SequenceValue(TableRef sequence, long lastValue, boolean isCalled) {
    }

    private final Connection connection;

    SourceCatalog(Connection connection) {
        this.connection = connection;
    }

    Map<Integer, ObjectIdentity> identities(List<TocEntry> entries) throws SQLException {
        List<TocEntry> withObject = entries.stream().filter(TocEntry::hasCatalogObject).toList();
        Map<Integer, ObjectIdentity> result = new HashMap<>();
        String sql = """
                SELECT e.dump_id, o.type, o.schema, o.identity
                FROM unnest(?::int[], ?::oid[], ?::oid[]) AS e(dump_id, class_oid, object_oid)
                CROSS JOIN LATERAL pg_catalog.pg_identify_object(e.class_oid, e.object_oid, 0) AS o
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bindEntries(ps, withObject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getInt(1), new ObjectIdentity(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return result;
    }

    /** The ordinary tables among the TABLE entries, with their size and copyable columns. */
    List<SourceTable> tables(List<TocEntry> tableEntries) throws SQLException {
        Long[] oids = tableEntries.stream().filter(e -> e.classOid() != 0).map(TocEntry::objectOid).toArray(Long[]::new);
        String sql = """
                SELECT c.oid, n.nspname, c.relname,
                       pg_catalog.pg_relation_size(c.oid),
                       pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::bigint,
                       coalesce(array_agg(a.attname ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL), '{}'),
                       coalesce(bool_and(t.typsend <> 0 AND t.typreceive <> 0
                                 AND coalesce(b.typsend <> 0 AND b.typreceive <> 0, true)
                                 AND coalesce(el.typsend <> 0 AND el.typreceive <> 0, true)), true),
                       c.reltuples::bigint
                FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                     AND a.attgenerated = ''
                LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype AND t.typtype = 'd'
                LEFT JOIN pg_catalog.pg_type el ON el.oid = t.typelem AND t.typcategory = 'A'
                WHERE c.oid = ANY(?::oid[]) AND c.relkind = 'r'
                GROUP BY c.oid, n.nspname, c.relname
                """;
        List<SourceTable> tables = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setArray(1, connection.createArrayOf("bigint", oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array columns = rs.getArray(6);
                    tables.add(new SourceTable(rs.getLong(1), new TableRef(rs.getString(2), rs.getString(3)),
                            rs.getLong(4), rs.getLong(5), List.of((String[]) columns.getArray()), rs.getBoolean(7), rs.getLong(8)));
                }
            }
        }
        return tables;
    }

    /** For INDEX, CONSTRAINT and FK CONSTRAINT entries: the table they are on (and reference). */
    Map<Integer, Owner> owners(List<TocEntry> entries) throws SQLException {
        List<TocEntry> relevant = entries.stream().filter(TocEntry::hasCatalogObject)
                .filter(e -> e.desc().equals("INDEX") || e.desc().equals("CONSTRAINT") || e.desc().equals("FK CONSTRAINT"))
                .toList();
        String sql = """
                SELECT e.dump_id, coalesce(i.indrelid, con.conrelid), coalesce(con.confrelid, 0), rel.relkind
                FROM unnest(?::int[], ?::oid[], ?::oid[]) AS e(dump_id, class_oid, object_oid)
                LEFT JOIN pg_catalog.pg_index i
                       ON e.class_oid = 'pg_catalog.pg_class'::regclass AND i.indexrelid = e.object_oid
                LEFT JOIN pg_catalog.pg_constraint con
                       ON e.class_oid = 'pg_catalog.pg_constraint'::regclass AND con.oid = e.object_oid
                JOIN pg_catalog.pg_class rel ON rel.oid = coalesce(i.indrelid, con.conrelid)
                """;
        Map<Integer, Owner> owners = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bindEntries(ps, relevant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getInt(1), new Owner(rs.getLong(2), rs.getLong(3), rs.getString(4).charAt(0)));
                }
            }
        }
        return owners;
    }

    /** Table name of relation OIDs (for foreign keys pointing at tables outside the archive, such as kept ones). */
    Map<Long, TableRef> relations(List<Long> oids) throws SQLException {
        Map<Long, TableRef> refs = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY(?::oid[])
                """)) {
            ps.setArray(1, connection.createArrayOf("bigint", oids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.put(rs.getLong(1), new TableRef(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return refs;
    }

    /** Definitions of foreign keys, schema-qualified (empty search_path), to create them NOT VALID. */
    Map<Integer, ForeignKey> foreignKeys(List<TocEntry> fkEntries) throws SQLException {
        Map<Integer, ForeignKey> keys = new HashMap<>();
        try (PreparedStatement path = connection.prepareStatement("SELECT pg_catalog.set_config('search_path', '', true)")) {
            path.execute();
        }
        String sql = """
                SELECT e.dump_id, n.nspname, c.relname, con.conname, pg_catalog.pg_get_constraintdef(con.oid)
                FROM unnest(?::int[], ?::oid[], ?::oid[]) AS e(dump_id, class_oid, object_oid)
                JOIN pg_catalog.pg_constraint con ON con.oid = e.object_oid
                JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bindEntries(ps, fkEntries);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getInt(1), new ForeignKey(new TableRef(rs.getString(2), rs.getString(3)),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return keys;
    }

    /**
     * The state of every sequence of the dumped schemas, read from each sequence itself as pg_dump does
     * ({@code SELECT last_value, is_called FROM seq}): a sequence restarted or set with {@code is_called = false}
     * keeps its next value. Sequences are not transactional: this is their value now, as for pg_dump.
     *
     * @throws IllegalStateException naming every sequence the source role may not read (SELECT privilege): its
     *                               value would be unknown, and a copy restarting at 1 would hit duplicate keys
     */
    List<SequenceValue> sequences(List<TocEntry> sequenceEntries) throws SQLException {
        Long[] oids = sequenceEntries.stream().filter(TocEntry::hasCatalogObject).map(TocEntry::objectOid).toArray(Long[]::new);
        List<TableRef> readable = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        String role = null;
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT n.nspname, c.relname, pg_catalog.has_sequence_privilege(c.oid, 'SELECT'), current_user
                FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.oid = ANY(?::oid[]) AND c.relkind = 'S'
                ORDER BY 1, 2
                """)) {
            ps.setArray(1, connection.createArrayOf("bigint", oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableRef sequence = new TableRef(rs.getString(1), rs.getString(2));
                    role = rs.getString(4);
                    if (rs.getBoolean(3)) {
                        readable.add(sequence);
                    } else {
                        unreadable.add(sequence.schema() + "." + sequence.name());
                    }
                }
            }
        }
        if (!unreadable.isEmpty()) {
            throw new IllegalStateException("the source role " + role + " (SOURCE_DATABASE_URL) may not read the sequence"
                    + (unreadable.size() > 1 ? "s " : " ") + String.join(", ", unreadable) + ": without SELECT on a sequence"
                    + " its value cannot be copied, and the copy's next ids would collide with its rows; grant it, e.g."
                    + " GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO " + Sql.ident(role));
        }
        List<SequenceValue> values = new ArrayList<>();
        try (java.sql.Statement st = connection.createStatement()) {
            for (TableRef sequence : readable) {
                try (ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + sequence.quoted())) {
                    rs.next();
                    values.add(new SequenceValue(sequence, rs.getLong(1), rs.getBoolean(2)));
                }
            }
        }
        return values;
    }

    /** Number of large objects in the snapshot (pg_largeobject_metadata is readable by every role). */
    long largeObjects() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void bindEntries(PreparedStatement ps, List<TocEntry> entries) throws SQLException {
        ps.setArray(1, connection.createArrayOf("int4", entries.stream().map(TocEntry::dumpId).toArray()));
        ps.setArray(2, connection.createArrayOf("bigint", entries.stream().map(TocEntry::classOid).toArray()));
        ps.setArray(3, connection.createArrayOf("bigint", entries.stream().map(TocEntry::objectOid).toArray()));
    }
}
