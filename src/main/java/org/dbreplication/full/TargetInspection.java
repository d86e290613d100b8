package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dbreplication.pg.TableRef;

/**
 * What the target holds in the replicated schemas before the restore: the kept tables (BACKUP_MODE) with every
 * object they need to keep working (their indexes, constraints, defaults, sequences, triggers, and the types and
 * functions these use) — the survivors — and the DROP statements that remove everything else. Survivors are
 * identified like archive entries, by pg_identify_object, so that the restore list can skip exactly them.
 */
final class TargetInspection {

    record Result(Set<String> survivorIdentities, List<String> dropStatements, Set<String> existingSchemas,
                  Set<String> existingExtensions, Map<TableRef, Integer> keptColumnCounts) {

        boolean survives(SourceCatalog.ObjectIdentity identity) {
            return identity != null && survivorIdentities.contains(key(identity.type(), identity.identity()));
        }
    }

    static String key(String type, String identity) {
        return type + " " + identity;
    }

    /** Kept tables, their parts, and what they depend on, closed transitively (types, routines, sequences). */
    private static final String NEEDED_BY_KEPT = """
            WITH RECURSIVE
            kept AS (
                SELECT c.oid FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                JOIN unnest(?::text[], ?::text[]) AS k(schema_name, table_name)
                  ON k.schema_name = n.nspname AND k.table_name = c.relname
                WHERE c.relkind IN ('r', 'p')
            ),
            seed(classid, objid) AS (
                SELECT 'pg_catalog.pg_class'::regclass::oid, oid FROM kept
                UNION
                SELECT d.classid, d.objid FROM pg_catalog.pg_depend d
                JOIN kept k ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = k.oid
                WHERE d.deptype IN ('a', 'i')
            ),
            needed(classid, objid) AS (
                SELECT classid, objid FROM seed
                UNION
                SELECT d.refclassid, d.refobjid FROM needed x
                JOIN pg_catalog.pg_depend d ON d.classid = x.classid AND d.objid = x.objid
                WHERE d.deptype IN ('n', 'a', 'i')
                  AND (d.refclassid IN ('pg_catalog.pg_type'::regclass, 'pg_catalog.pg_proc'::regclass,
                                        'pg_catalog.pg_collation'::regclass)
                       OR (d.refclassid = 'pg_catalog.pg_class'::regclass AND EXISTS (
                            SELECT 1 FROM pg_catalog.pg_class s WHERE s.oid = d.refobjid AND s.relkind IN ('S', 'c'))))
            )
            SELECT x.classid, x.objid, o.type, o.identity FROM needed x
            CROSS JOIN LATERAL pg_catalog.pg_identify_object(x.classid, x.objid, 0) o
            WHERE o.schema = ANY(?::text[])
            """;

    /** Objects to drop: relations, routines and types of the replicated schemas, not survivors, not from extensions. */
    private static final String DROPPABLE = """
            WITH candidates(rank, kind, classid, objid) AS (
                SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 1 WHEN c.relkind = 'S' THEN 3 ELSE 2 END,
                       CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                      WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                       'pg_catalog.pg_class'::regclass::oid, c.oid
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ANY(?::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND NOT c.relispartition
                UNION ALL
                SELECT 4, CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                       'pg_catalog.pg_proc'::regclass::oid, p.oid
                FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ANY(?::text[])
                  -- a range type's constructors go with their type: dropping them alone is an error, even CASCADE
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::regclass
                                  AND i.objid = p.oid AND i.deptype = 'i')
                UNION ALL
                SELECT 5, CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, 'pg_catalog.pg_type'::regclass::oid, t.oid
                FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = ANY(?::text[]) AND t.typtype IN ('e', 'd', 'r', 'c')
                  AND (t.typtype <> 'c' OR EXISTS (
                       SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_type'::regclass
                                  AND i.objid = t.oid AND i.deptype = 'i')
            )
            SELECT c.kind, c.classid, c.objid, o.identity FROM candidates c
            CROSS JOIN LATERAL pg_catalog.pg_identify_object(c.classid, c.objid, 0) o
            WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                              WHERE e.classid = c.classid AND e.objid = c.objid AND e.deptype = 'e')
            ORDER BY c.rank, o.identity
            """;

    private TargetInspection() {
    }

    static Result inspect(Connection target, Collection<String> replicatedSchemas, Collection<TableRef> keptTables)
            throws SQLException {
        String[] schemas = replicatedSchemas.toArray(String[]::new);
        Set<String> survivors = new HashSet<>();
        Set<Long> survivorOids = new HashSet<>();
        try (PreparedStatement ps = target.prepareStatement(NEEDED_BY_KEPT)) {
            ps.setArray(1, target.createArrayOf("text", keptTables.stream().map(TableRef::schema).toArray()));
            ps.setArray(2, target.createArrayOf("text", keptTables.stream().map(TableRef::name).toArray()));
            ps.setArray(3, target.createArrayOf("text", schemas));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    survivorOids.add(rs.getLong(1) * 4_294_967_296L + rs.getLong(2));
                    survivors.add(key(rs.getString(3), rs.getString(4)));
                }
            }
        }
        List<String> drops = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(DROPPABLE)) {
            for (int i = 1; i <= 3; i++) {
                ps.setArray(i, target.createArrayOf("text", schemas));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!survivorOids.contains(rs.getLong(2) * 4_294_967_296L + rs.getLong(3))) {
                        drops.add("DROP " + rs.getString(1) + " IF EXISTS " + rs.getString(4) + " CASCADE;");
                    }
                }
            }
        }
        return new Result(survivors, drops, names(target, "SELECT nspname FROM pg_catalog.pg_namespace"),
                names(target, "SELECT extname FROM pg_catalog.pg_extension"), columnCounts(target, keptTables));
    }

    private static Set<String> names(Connection target, String sql) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = target.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Column count of each kept table present on the target: checked again after the drops. */
    private static Map<TableRef, Integer> columnCounts(Connection target, Collection<TableRef> keptTables) throws SQLException {
        Map<TableRef, Integer> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement("""
                SELECT n.nspname, c.relname, count(a.attnum)
                FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                JOIN unnest(?::text[], ?::text[]) AS k(schema_name, table_name)
                  ON k.schema_name = n.nspname AND k.table_name = c.relname
                LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE c.relkind IN ('r', 'p')
                GROUP BY n.nspname, c.relname
                """)) {
            ps.setArray(1, target.createArrayOf("text", keptTables.stream().map(TableRef::schema).toArray()));
            ps.setArray(2, target.createArrayOf("text", keptTables.stream().map(TableRef::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(new TableRef(rs.getString(1), rs.getString(2)), rs.getInt(3));
                }
            }
        }
        return counts;
    }
}
