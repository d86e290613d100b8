package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the views and materialized views of the schemas the full step does not replace (analysts' schemas) that the
 * replacement would drop through its {@code DROP … CASCADE}: those whose query uses an object of a replicated schema
 * that is not a survivor, directly or through other such views; and reads each one's definition. To be run with an
 * empty search path, so that every name in the definitions comes out qualified.
 */
final class AnalystViewCapture {

    /**
     * Each view of the schemas not excluded ($1: the replicated schemas and the tool's own) with what its query uses
     * directly (the dependencies of its {@code _RETURN} rule): objects of the replicated schemas ($2), identified like
     * survivors by pg_identify_object, and other views of those same schemas (the last column true).
     */
    private static final String USES = """
            WITH candidates AS (
                SELECT c.oid FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('v', 'm') AND n.nspname <> ALL(?::text[])
                  AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_class'::regclass
                                  AND e.objid = c.oid AND e.deptype = 'e')
            ),
            uses AS (
                SELECT DISTINCT r.ev_class AS view_oid, d.refclassid, d.refobjid
                FROM pg_catalog.pg_rewrite r
                JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                WHERE r.ev_class IN (SELECT oid FROM candidates) AND d.deptype = 'n'
                  AND NOT (d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = r.ev_class)
            )
            SELECT u.view_oid, u.refobjid, o.type, o.identity,
                   u.refclassid = 'pg_catalog.pg_class'::regclass AND u.refobjid IN (SELECT oid FROM candidates)
            FROM uses u CROSS JOIN LATERAL pg_catalog.pg_identify_object(u.refclassid, u.refobjid, 0) o
            WHERE (o.schema = ANY(?::text[])
                   -- members of an extension are never dropped by the full step
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = u.refclassid
                                   AND x.objid = u.refobjid AND x.deptype = 'e'))
               OR (u.refclassid = 'pg_catalog.pg_class'::regclass AND u.refobjid IN (SELECT oid FROM candidates))
            """;

    private static final String VIEWS = """
            SELECT c.oid, n.nspname, c.relname, c.relkind = 'm', pg_catalog.pg_get_userbyid(c.relowner),
                   pg_catalog.pg_get_viewdef(c.oid), c.reloptions, pg_catalog.obj_description(c.oid, 'pg_class')
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = ANY(?::bigint[]::oid[])
            """;

    private static final String COLUMNS = """
            SELECT a.attrelid, a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid),
                   pg_catalog.col_description(a.attrelid, a.attnum)
            FROM pg_catalog.pg_attribute a
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = ANY(?::bigint[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """;

    private static final String INDEXES = """
            SELECT i.indrelid, pg_catalog.pg_get_indexdef(i.indexrelid)
            FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
            WHERE i.indrelid = ANY(?::bigint[]::oid[])
            ORDER BY i.indrelid, x.relname
            """;

    private AnalystViewCapture() {
    }

    /**
     * @param excludedSchemas    schemas whose views are not analysts' (the replicated ones and the tool's own)
     * @param replicatedSchemas  the schemas the full step replaces
     * @param survivorIdentities {@link TargetInspection#key} of the objects kept in place (kept tables and what they need)
     * @return the views to create again, each after the views it uses
     */
    static List<AnalystView> capture(Connection target, Collection<String> excludedSchemas,
                                     Collection<String> replicatedSchemas, Set<String> survivorIdentities)
            throws SQLException {
        Set<Long> direct = new HashSet<>();
        Map<Long, Set<Long>> usesViews = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement(USES)) {
            ps.setArray(1, target.createArrayOf("text", excludedSchemas.toArray()));
            ps.setArray(2, target.createArrayOf("text", replicatedSchemas.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long view = rs.getLong(1);
                    if (rs.getBoolean(5)) {
                        usesViews.computeIfAbsent(view, k -> new HashSet<>()).add(rs.getLong(2));
                    } else if (!survivorIdentities.contains(TargetInspection.key(rs.getString(3), rs.getString(4)))) {
                        direct.add(view);
                    }
                }
            }
        }
        Set<Long> dropped = droppedWith(direct, usesViews);
        if (dropped.isEmpty()) {
            return List.of();
        }
        Map<Long, AnalystView> views = read(target, dropped);
        List<AnalystView> ordered = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        for (Long oid : views.keySet()) {
            place(oid, usesViews, views, placed, ordered);
        }
        return ordered;
    }

    /** The views using a replaced object directly, and those using one of them, to the fixpoint. */
    private static Set<Long> droppedWith(Set<Long> direct, Map<Long, Set<Long>> usesViews) {
        Set<Long> dropped = new LinkedHashSet<>(direct);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, Set<Long>> uses : usesViews.entrySet()) {
                if (!dropped.contains(uses.getKey()) && uses.getValue().stream().anyMatch(dropped::contains)) {
                    grew = dropped.add(uses.getKey()) || grew;
                }
            }
        }
        return dropped;
    }

    /** Depth first: the views a view uses come before it (views cannot use each other in a cycle). */
    private static void place(Long oid, Map<Long, Set<Long>> usesViews, Map<Long, AnalystView> views, Set<Long> placed,
                              List<AnalystView> ordered) {
        if (!views.containsKey(oid) || !placed.add(oid)) {
            return;
        }
        for (Long used : usesViews.getOrDefault(oid, Set.of())) {
            place(used, usesViews, views, placed, ordered);
        }
        ordered.add(views.get(oid));
    }

    /** The definitions, in schema and name order (the order of the restore, dependencies aside). */
    private static Map<Long, AnalystView> read(Connection target, Set<Long> oids) throws SQLException {
        java.sql.Array array = target.createArrayOf("int8", oids.toArray());
        Map<Long, Map<String, String>> defaults = new HashMap<>();
        Map<Long, Map<String, String>> comments = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement(COLUMNS)) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(3) != null) {
                        defaults.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                    }
                    if (rs.getString(4) != null) {
                        comments.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(4));
                    }
                }
            }
        }
        Map<Long, List<String>> indexes = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement(INDEXES)) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        Map<Long, List<RelationGrant>> grants = RelationGrant.read(target, oids);
        List<Map.Entry<Long, AnalystView>> views = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement(VIEWS)) {
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    java.sql.Array options = rs.getArray(7);
                    views.add(Map.entry(oid, new AnalystView(rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), withoutSemicolon(rs.getString(6)),
                            options == null ? List.of() : Arrays.asList((String[]) options.getArray()), rs.getString(8),
                            defaults.getOrDefault(oid, Map.of()), comments.getOrDefault(oid, Map.of()),
                            grants.getOrDefault(oid, List.of()), indexes.getOrDefault(oid, List.of()))));
                }
            }
        }
        views.sort(java.util.Comparator.comparing((Map.Entry<Long, AnalystView> e) -> e.getValue().schema())
                .thenComparing(e -> e.getValue().name()));
        Map<Long, AnalystView> byOid = new LinkedHashMap<>();
        views.forEach(e -> byOid.put(e.getKey(), e.getValue()));
        return byOid;
    }

    private static String withoutSemicolon(String query) {
        String trimmed = query.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
