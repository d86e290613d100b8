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
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/**
 * What the target holds in the replicated schemas before the restore: the kept tables (BACKUP_MODE) with every
 * object they need to keep working (their indexes, constraints, defaults, sequences, triggers, and the types and
 * functions these use) — the survivors — and the DROP statements that remove everything else. Survivors are
 * identified like archive entries, by pg_identify_object, so that the restore list can skip exactly them.
 */
final class TargetInspection {

    /**
     * @param replaced       the live objects of the replicated schemas that the new copy replaces (survivors excepted)
     * @param dropStatements what the in-place refresh runs first: the drops of {@code replaced}, of the casts the
     *                       archive creates again, and of the target user's large objects
     */
    record Result(Set<String> survivorIdentities, List<SchemaObjects.SchemaObject> replaced, List<String> dropStatements,
                  Set<String> existingSchemas, Set<String> existingExtensions, Map<TableRef, Integer> keptColumnCounts) {

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

    /**
     * Casts are not in a schema: the ones the archive creates (its CAST entries, tagged like pg_dump tags them) are
     * dropped before, so that the second night replaces what the first one created. Others are left alone.
     */
    private static final String CASTS = """
            SELECT 'CAST (' || pg_catalog.format_type(c.castsource, NULL) || ' AS '
                   || pg_catalog.format_type(c.casttarget, NULL) || ')'
            FROM pg_catalog.pg_cast c
            WHERE c.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            """;

    /** Large objects are not in a schema either: those of the target's user are replaced by the source's. */
    private static final String OWN_LARGE_OBJECTS = """
            SELECT count(*) FROM pg_catalog.pg_largeobject_metadata m
            WHERE m.lomowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
            """;
    static final String UNLINK_LARGE_OBJECTS = "SELECT count(pg_catalog.lo_unlink(m.oid)) FROM pg_catalog.pg_largeobject_metadata m"
            + " WHERE m.lomowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user);";

    private TargetInspection() {
    }

    /**
     * @param archiveCasts the tags of the archive's CAST entries ({@code CAST (text AS public.pair)})
     */
    static Result inspect(Connection target, Collection<String> replicatedSchemas, Collection<TableRef> keptTables,
                          Collection<String> archiveCasts) throws SQLException {
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
        List<SchemaObjects.SchemaObject> replaced = SchemaObjects.of(target, replicatedSchemas).stream()
                .filter(o -> !survivorOids.contains(o.key())).toList();
        List<String> drops = new ArrayList<>();
        replaced.stream().map(SchemaObjects.SchemaObject::drop).filter(java.util.Objects::nonNull)
                .forEach(drop -> drops.add(drop + ";"));
        drops.addAll(castDrops(target, archiveCasts));
        if (count(target, OWN_LARGE_OBJECTS) > 0) {
            drops.add(UNLINK_LARGE_OBJECTS);
        }
        return new Result(survivors, replaced, drops, names(target, "SELECT nspname FROM pg_catalog.pg_namespace"),
                names(target, "SELECT extname FROM pg_catalog.pg_extension"), columnCounts(target, keptTables));
    }

    /** DROP CAST statements for the target's casts that the archive creates again (format_type as pg_dump tags them). */
    private static List<String> castDrops(Connection target, Collection<String> archiveCasts) throws SQLException {
        if (archiveCasts.isEmpty()) {
            return List.of();
        }
        try (java.sql.Statement st = target.createStatement()) {
            // format_type qualifies a type unless the search path finds it: empty path, as pg_dump writes its tags
            st.execute("SELECT pg_catalog.set_config('search_path', '', false)");
        }
        List<String> drops = new ArrayList<>();
        for (String cast : names(target, CASTS)) {
            if (archiveCasts.contains(cast)) {
                drops.add("DROP CAST IF EXISTS " + cast.substring("CAST ".length()) + " CASCADE;");
            }
        }
        return drops;
    }

    private static long count(Connection target, String sql) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
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
