package org.dbreplication.full;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dbreplication.pg.Sql;

/**
 * A view or materialized view of an analysts' schema, as captured before the full step replaces what it reads: enough
 * to create it again as it was over the new copy.
 *
 * @param schema         its schema (exact, unquoted)
 * @param name           its name (exact, unquoted)
 * @param materialized   a materialized view (created again WITH NO DATA, refreshed once the rows are in)
 * @param owner          the role that owns it
 * @param query          its query, by {@code pg_get_viewdef} with an empty search path (every name qualified), without
 *                       the final semicolon
 * @param options        {@code pg_class.reloptions}: {@code security_barrier=true}, {@code check_option=local}…
 * @param comment        its comment, or null
 * @param columnDefaults column name → default expression (views only; qualified like the query)
 * @param columnComments column name → comment
 * @param grants         privileges of roles other than the owner, on it and on its columns
 * @param indexes        {@code CREATE INDEX} statements of a materialized view (by {@code pg_get_indexdef})
 */
record AnalystView(String schema, String name, boolean materialized, String owner, String query, List<String> options,
                   String comment, Map<String, String> columnDefaults, Map<String, String> columnComments,
                   List<RelationGrant> grants, List<String> indexes) {

    /** How reloptions names look (namespaced ones included: {@code toast.autovacuum_enabled}). */
    private static final Pattern OPTION_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    /** {@code VIEW} or {@code MATERIALIZED VIEW}. */
    String kind() {
        return materialized ? "MATERIALIZED VIEW" : "VIEW";
    }

    /** {@code VIEW analysts.monthly}: the name in logs, warnings and the journal (like pg_dump's tags). */
    String displayName() {
        return kind() + " " + schema + "." + name;
    }

    String quoted() {
        return Sql.ident(schema) + "." + Sql.ident(name);
    }

    /**
     * The statements that create it again, as its owner would run them: the view ({@code WITH NO DATA} for a
     * materialized one), its column defaults, comments, grants and indexes.
     */
    List<String> creation() {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE " + kind() + " " + quoted() + withOptions() + " AS\n" + query
                + (materialized ? "\nWITH NO DATA;" : ";"));
        columnDefaults.forEach((column, expression) -> statements.add("ALTER VIEW " + quoted() + " ALTER COLUMN "
                + Sql.ident(column) + " SET DEFAULT " + expression + ";"));
        if (comment != null) {
            statements.add("COMMENT ON " + kind() + " " + quoted() + " IS " + Sql.literal(comment) + ";");
        }
        columnComments.forEach((column, text) -> statements.add("COMMENT ON COLUMN " + quoted() + "."
                + Sql.ident(column) + " IS " + Sql.literal(text) + ";"));
        grants.forEach(grant -> statements.add(grant.statement("TABLE", quoted())));
        indexes.forEach(index -> statements.add(index + ";"));
        return statements;
    }

    /**
     * What an operator replays to get it back (kept in the run journal when it could not be created again): the
     * creation, its owner, and for a materialized view the refresh that fills it.
     */
    String replayScript() {
        List<String> statements = new ArrayList<>(creation());
        statements.add(1, "ALTER " + kind() + " " + quoted() + " OWNER TO " + Sql.ident(owner) + ";");
        if (materialized) {
            statements.add("REFRESH MATERIALIZED VIEW " + quoted() + ";");
        }
        return String.join("\n", statements);
    }

    private String withOptions() {
        if (options.isEmpty()) {
            return "";
        }
        List<String> rendered = new ArrayList<>();
        for (String option : options) {
            int equals = option.indexOf('=');
            String key = equals < 0 ? option : option.substring(0, equals);
            if (!OPTION_NAME.matcher(key).matches()) {
                throw new IllegalStateException("unexpected option " + option + " of " + displayName());
            }
            rendered.add(equals < 0 ? key : key + "=" + Sql.literal(option.substring(equals + 1)));
        }
        return " WITH (" + String.join(", ", rendered) + ")";
    }
}
