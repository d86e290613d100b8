package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas of the swap ({@code FULL_REFRESH=swap}) beside the live ones: the new copy of each replicated schema is
 * built in {@code <REPLICATION_SCHEMA>_new_<run>_<n>}; at the switch the live objects it replaces are moved to
 * {@code <REPLICATION_SCHEMA>_old_<run>_<n>}, dropped afterwards. Each carries a comment saying what it is, so that
 * an operator who lists the schemas understands them and the next run can remove what a killed one left.
 */
final class ShadowSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowSchemas.class);
    private static final String MARK = "db-replication: ";

    private ShadowSchemas() {
    }

    /** Live schema → the schema of its new copy, or of its retired objects ({@code kind}: new, old). */
    static Map<String, String> names(String replicationSchema, long runId, List<String> liveSchemas, String kind) {
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < liveSchemas.size(); i++) {
            names.put(liveSchemas.get(i), replicationSchema + "_" + kind + "_" + runId + "_" + (i + 1));
        }
        return names;
    }

    /** Creates the schemas, each with its comment (in the caller's transaction). */
    static void create(Statement st, Map<String, String> schemas, String what, long runId) throws SQLException {
        for (Map.Entry<String, String> schema : schemas.entrySet()) {
            st.execute("CREATE SCHEMA " + Sql.ident(schema.getValue()));
            st.execute("COMMENT ON SCHEMA " + Sql.ident(schema.getValue()) + " IS "
                    + Sql.literal(MARK + what + " " + schema.getKey() + " (run " + runId + ")"));
        }
    }

    /** The schemas this tool made for a swap that are still there (a killed run's, or retired ones not dropped yet). */
    static List<String> leftovers(Connection target, String replicationSchema) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement("""
                SELECT n.nspname FROM pg_catalog.pg_namespace n
                WHERE (starts_with(n.nspname, ? || '_new_') OR starts_with(n.nspname, ? || '_old_'))
                  AND starts_with(pg_catalog.obj_description(n.oid, 'pg_namespace'), ?)
                ORDER BY 1""")) {
            ps.setString(1, replicationSchema);
            ps.setString(2, replicationSchema);
            ps.setString(3, MARK);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        return schemas;
    }

    /**
     * Drops schemas with everything in them, each in its own transaction with a short lock wait, so that readers
     * are never held up: one whose locks cannot be had now (a reader still on a retired table) is left for the next
     * run. Returns those left.
     */
    static List<String> dropQuietly(Connection target, List<String> schemas, LockRetry retry) {
        List<String> left = new ArrayList<>();
        for (String schema : schemas) {
            try {
                retry.run(target, "drop " + schema, st -> st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(schema) + " CASCADE"));
            } catch (SQLException | RuntimeException e) {
                left.add(schema);
                LOG.warn("schema {} not dropped now, the next run drops it: {}", v("schema", schema),
                        v("error", ObjectFailures.errorLine(e instanceof SQLException sql ? sql : new SQLException(e.getMessage()))));
            }
        }
        return left;
    }
}
