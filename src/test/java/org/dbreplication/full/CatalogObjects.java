package org.dbreplication.full;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.dbreplication.Db;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;

/** The objects of some schemas as the catalog sees them, for tests that build and move whole schemas. */
final class CatalogObjects {

    /** A WITH item: each object of a schema with its catalog, OID, schema OID and name (FK triggers left out). */
    static final String OBJECTS = """
            objects(classid, objid, nsp, name) AS (
                SELECT 'pg_class'::regclass, oid, relnamespace, relname FROM pg_class
                UNION ALL SELECT 'pg_type'::regclass, oid, typnamespace, typname FROM pg_type
                UNION ALL SELECT 'pg_proc'::regclass, oid, pronamespace, proname FROM pg_proc
                UNION ALL SELECT 'pg_operator'::regclass, oid, oprnamespace, oprname FROM pg_operator
                UNION ALL SELECT 'pg_collation'::regclass, oid, collnamespace, collname FROM pg_collation
                UNION ALL SELECT 'pg_conversion'::regclass, oid, connamespace, conname FROM pg_conversion
                UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgnamespace, cfgname FROM pg_ts_config
                UNION ALL SELECT 'pg_ts_dict'::regclass, oid, dictnamespace, dictname FROM pg_ts_dict
                UNION ALL SELECT 'pg_opclass'::regclass, oid, opcnamespace, opcname FROM pg_opclass
                UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfnamespace, opfname FROM pg_opfamily
                UNION ALL SELECT 'pg_statistic_ext'::regclass, oid, stxnamespace, stxname FROM pg_statistic_ext
                UNION ALL SELECT 'pg_constraint'::regclass, oid, connamespace, conname FROM pg_constraint
                UNION ALL SELECT 'pg_trigger'::regclass, t.oid, c.relnamespace, t.tgname FROM pg_trigger t
                    JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal -- foreign keys' triggers: named by OID
                UNION ALL SELECT 'pg_policy'::regclass, p.oid, c.relnamespace, p.polname FROM pg_policy p
                    JOIN pg_class c ON c.oid = p.polrelid
                UNION ALL SELECT 'pg_rewrite'::regclass, r.oid, c.relnamespace, r.rulename FROM pg_rewrite r
                    JOIN pg_class c ON c.oid = r.ev_class
                UNION ALL SELECT 'pg_attrdef'::regclass, d.oid, c.relnamespace, NULL FROM pg_attrdef d
                    JOIN pg_class c ON c.oid = d.adrelid)
            """;

    /**
     * The objects of a schema that {@code ALTER … SET SCHEMA} moves one by one: not those carried along with
     * another (indexes, constraints, triggers, policies, rules, defaults, array and row types, owned sequences),
     * nor extensions' objects. PostgreSQL 15 does not carry a range type's multirange type, nor the constructor
     * functions of either: they are listed. Rows: the ALTER keyword, the qualified identity, the name.
     */
    private static final String MOVABLE = "WITH " + OBJECTS + """
            SELECT replace(upper(o.type), ' OBJECT', ''), o.identity, s.name
            FROM objects s, pg_identify_object(s.classid, s.objid, 0) o
            WHERE s.nsp = (SELECT oid FROM pg_namespace WHERE nspname = %s)
              AND s.classid NOT IN ('pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass,
                                    'pg_rewrite'::regclass, 'pg_attrdef'::regclass)
              AND o.type NOT IN ('index', 'composite type')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = s.classid AND d.objid = s.objid
                  AND (d.refclassid, d.refobjid) <> (d.classid, d.objid)
                  AND (d.deptype = 'e' OR (d.deptype = 'a' AND o.type = 'sequence')
                       OR (d.deptype = 'i' AND NOT (d.refclassid = 'pg_type'::regclass
                           AND (SELECT typtype FROM pg_type WHERE oid = d.refobjid) IN ('r', 'm')
                           AND (s.classid = 'pg_proc'::regclass OR (SELECT typtype FROM pg_type
                               WHERE s.classid = 'pg_type'::regclass AND oid = s.objid) = 'm')))))
            ORDER BY 1, 2""";

    private CatalogObjects() {
    }

    /** Catalog and identity ({@code pg_class public.items}) → OID of every object of these schemas. */
    static Map<String, String> catalog(DatabaseUrl db, Iterable<String> schemas) {
        Map<String, String> objects = new TreeMap<>();
        for (List<String> row : Db.rows(db, "WITH " + OBJECTS + "SELECT o.classid::regclass::text || ' '"
                + " || (pg_identify_object(o.classid, o.objid, 0)).identity, o.objid::text FROM objects o"
                + " JOIN pg_namespace n ON n.oid = o.nsp WHERE n.nspname IN (" + literals(schemas) + ")")) {
            objects.put(row.get(0), row.get(1));
        }
        return objects;
    }

    /** Qualified name ({@code format('%I.%I')}) → row count and checksum of every table of these schemas. */
    static Map<String, String> rows(DatabaseUrl db, Iterable<String> schemas) {
        Map<String, String> tables = new TreeMap<>();
        for (String table : Db.column(db, "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN (" + literals(schemas) + ")")) {
            tables.put(table, Db.scalar(db, "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                    + " FROM " + table + " t"));
        }
        return tables;
    }

    /** {@link #MOVABLE} of {@code schema}, read on the connection of {@code st} (its transaction included). */
    static List<List<String>> movable(Statement st, String schema) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(MOVABLE.formatted(Sql.literal(schema)))) {
            while (rs.next()) {
                rows.add(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return rows;
    }

    private static String literals(Iterable<String> values) {
        return StreamSupport.stream(values.spliterator(), false).map(Sql::literal).collect(Collectors.joining(", "));
    }
}
