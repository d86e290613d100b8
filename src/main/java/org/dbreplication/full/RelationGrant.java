package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dbreplication.pg.Sql;

/**
 * One privilege that a role other than the owner holds on a relation, or on one of its columns, as {@code aclexplode}
 * lists it: what {@code GRANT} gives it again to a relation created anew under the same name.
 *
 * @param privilege {@code SELECT}, {@code UPDATE}, {@code USAGE} (sequences)…, PostgreSQL's keyword
 * @param column    the column of a column privilege, null for the whole relation
 * @param grantee   the role, null for {@code PUBLIC}
 * @param grantable held {@code WITH GRANT OPTION}
 */
record RelationGrant(String privilege, String column, String grantee, boolean grantable) {

    /** Every privilege keyword aclexplode returns for relations (MAINTAIN: PostgreSQL 17 and later). */
    private static final Set<String> PRIVILEGES = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE",
            "REFERENCES", "TRIGGER", "USAGE", "MAINTAIN");

    /** The privileges of roles other than the owner, on the relations themselves and on their columns. */
    private static final String READ = """
            SELECT c.oid, NULL::text AS column_name, a.privilege_type,
                   CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END, a.is_grantable
            FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
            WHERE c.oid = ANY(?::bigint[]::oid[]) AND a.grantee <> c.relowner
            UNION ALL
            SELECT c.oid, t.attname::text, a.privilege_type,
                   CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END, a.is_grantable
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0 AND NOT t.attisdropped
            CROSS JOIN LATERAL pg_catalog.aclexplode(t.attacl) a
            WHERE c.oid = ANY(?::bigint[]::oid[]) AND a.grantee <> c.relowner
            ORDER BY 1, 2 NULLS FIRST, 4, 3
            """;

    RelationGrant {
        if (!PRIVILEGES.contains(privilege)) {
            throw new IllegalArgumentException("unknown privilege " + privilege);
        }
    }

    /**
     * @param keyword  {@code TABLE} (also for views, materialized views, foreign tables) or {@code SEQUENCE}
     * @param relation the relation's quoted, qualified name
     * @return {@code GRANT SELECT (amount) ON TABLE "public"."orders" TO "metabase";}
     */
    String statement(String keyword, String relation) {
        return "GRANT " + privilege + (column == null ? "" : " (" + Sql.ident(column) + ")") + " ON " + keyword + " "
                + relation + " TO " + (grantee == null ? "PUBLIC" : Sql.ident(grantee))
                + (grantable ? " WITH GRANT OPTION" : "") + ";";
    }

    /** The GRANT keyword of a relation kind ({@code pg_class.relkind}). */
    static String keyword(String relkind) {
        return "S".equals(relkind) ? "SEQUENCE" : "TABLE";
    }

    /** The grants of each relation (by oid) that has any; relations without one are absent from the map. */
    static Map<Long, List<RelationGrant>> read(Connection connection, Collection<Long> oids) throws SQLException {
        Map<Long, List<RelationGrant>> grants = new LinkedHashMap<>();
        if (oids.isEmpty()) {
            return grants;
        }
        try (PreparedStatement ps = connection.prepareStatement(READ)) {
            java.sql.Array array = connection.createArrayOf("int8", oids.toArray());
            ps.setArray(1, array);
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(
                            new RelationGrant(rs.getString(3), rs.getString(2), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        return grants;
    }
}
