package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.dbreplication.pg.Sql;

/**
 * The default privileges an administrator set for a live schema ({@code ALTER DEFAULT PRIVILEGES IN SCHEMA public
 * GRANT SELECT ON TABLES TO metabase}), given to the relations of the new copy once they are moved into it: the new
 * copy was created in schemas of its own, where PostgreSQL applied only the defaults of no schema. The in-place
 * refresh creates its objects in the live schemas and gets them from PostgreSQL itself. Tables, views, materialized
 * views, foreign tables ({@code r}) and sequences ({@code S}); those of the target's user only, who creates the copy.
 */
final class DefaultPrivileges {

    private DefaultPrivileges() {
    }

    /** The relations of {@code schemas} (the new copy's, before its move), by OID: they keep it across SET SCHEMA. */
    static List<Long> relationsOf(Connection c, Collection<String> schemas) throws SQLException {
        List<Long> oids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ANY(?) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')")) {
            ps.setArray(1, c.createArrayOf("text", schemas.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oids.add(rs.getLong(1));
                }
            }
        }
        return oids;
    }

    /**
     * Grants to each relation of {@code oids} what the default privileges of the schema it is in now give.
     *
     * @return the GRANT statements run
     */
    static List<String> apply(Connection c, Statement st, List<Long> oids) throws SQLException {
        List<String> grants = new ArrayList<>();
        if (oids.isEmpty()) {
            return grants;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.oid::regclass::text, c.relkind = 'S', a.privilege_type, a.is_grantable,
                       CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END
                FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_default_acl d ON d.defaclnamespace = c.relnamespace
                     AND d.defaclrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
                     AND d.defaclobjtype = CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'r' END
                CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a
                WHERE c.oid = ANY(?) ORDER BY 1, 3""")) {
            ps.setArray(1, c.createArrayOf("bigint", oids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String grantee = rs.getString(5) == null ? "PUBLIC" : Sql.ident(rs.getString(5));
                    grants.add("GRANT " + rs.getString(3) + " ON " + (rs.getBoolean(2) ? "SEQUENCE " : "TABLE ")
                            + rs.getString(1) + " TO " + grantee + (rs.getBoolean(4) ? " WITH GRANT OPTION" : ""));
                }
            }
        }
        for (String grant : grants) {
            st.execute(grant);
        }
        return grants;
    }
}
