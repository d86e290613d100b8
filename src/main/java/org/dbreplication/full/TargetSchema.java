package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.ExchangeProperty;
import java.util.List;
import org.dbreplication.config.FullRefresh;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the target's schema in ONE transaction: drops the current objects (survivors of kept tables excepted),
 * creates the new pre-data entry by entry, then checks that no kept table lost a column through a cascade.
 *
 * <p>Each entry runs under its own savepoint. An entry that fails and concerns a table ({@link ObjectPolicy}), a
 * drop that fails, a lock not obtained within TARGET_LOCK_TIMEOUT, a lost connection, or any failure with
 * FULL_STRICT=true rolls the whole transaction back: the target is left exactly as it was. Another object that
 * fails (a view, a function, …) is rolled back to its savepoint alone and recorded as a warning; the objects that
 * depend on it then fail the same way.
 *
 * <p>Analysts' views and materialized views over replaced objects, and the privileges given on replaced relations,
 * are captured before the drops and created again after the new pre-data ({@link AnalystObjects}).
 */
public class TargetSchema {

    private static final Logger LOG = LoggerFactory.getLogger(TargetSchema.class);
    private final Settings settings;

    public TargetSchema(Settings settings) {
        this.settings = settings;
    }

    public void replace(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        RestorePlan plan = run.plan();
        RenderedScript script = RenderedScript.read(run.preDataScript());
        boolean aside = settings.full().refresh() == FullRefresh.SWAP;
        if (aside) {
            run.newSchemas(ShadowSchemas.names(settings.databases().replicationSchema(), run.runId(), run.liveSchemas(), "new"));
            run.names(NewCopyNames.of(run.newSchemas(), script, RenderedScript.read(run.postDataFullScript())));
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             Statement st = target.createStatement()) {
            target.setAutoCommit(false);
            for (String setting : script.settings()) {
                st.execute(setting);
            }
            // after pg_restore's own settings, which turn lock_timeout off
            st.execute("SET LOCAL lock_timeout = " + Sql.literal(settings.databases().targetLockTimeoutSeconds() + "s"));
            try {
                List<String> drops = aside ? buildAside(st, run) : plan.dropStatements();
                // in place, analysts' views over replaced objects go with the drops' CASCADE: read them first, create
                // them again over the new objects below, in this same transaction (the swap does it at the switch)
                AnalystObjects analysts = new AnalystObjects(settings);
                AnalystObjects.Captured captured = aside ? null : analysts.capture(target, run.analystScope());
                for (String drop : drops) {
                    try {
                        st.execute(drop);
                    } catch (SQLException e) {
                        throw new SQLException(drop.replaceAll(";$", "") + ": " + ObjectFailures.errorLine(e), e.getSQLState(), e);
                    }
                }
                int warnings = 0;
                for (RenderedScript.Entry entry : script.entries()) {
                    if (aside && (entry.type().equals("SCHEMA") || NewCopyNames.isRangeType(entry) && exists(st, entry))) {
                        continue;
                    }
                    warnings += create(st, entry, run) ? 0 : 1;
                }
                if (!aside) {
                    run.analystMaterializedViews(analysts.restore(target, captured, run::warn));
                }
                st.execute(verification(plan.keptColumnCounts()));
                target.commit();
                LOG.info(aside ? "new copy's schema created beside the live one: {} objects dropped, {} created, {} left out with a warning"
                                : "target schema replaced: {} objects dropped, {} created, {} left out with a warning",
                        v("drops", drops.size()), v("created", script.entries().size() - warnings), v("warnings", warnings));
            } catch (SQLException | RuntimeException e) {
                rollback(target);
                throw new IllegalStateException((aside ? "the new copy's schema was not created (rolled back: "
                        : "the target's schema was not replaced (rolled back: ") + "the target is as it was): "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * FULL_REFRESH=swap: creates the new copy's schemas (and a live schema the target lacks, empty until the switch);
     * returns what must still be dropped first: only the target user's large objects, which live outside schemas
     * and are replaced in place.
     */
    private List<String> buildAside(Statement st, FullRun run) throws SQLException {
        ShadowSchemas.create(st, run.newSchemas(), "new copy of", run.runId());
        for (String live : run.liveSchemas()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.ident(live));
        }
        return run.plan().dropStatements().stream().filter(TargetInspection.UNLINK_LARGE_OBJECTS::equals).toList();
    }

    /** Runs one entry under a savepoint; false when it failed and was left out with a warning. */
    private boolean create(Statement st, RenderedScript.Entry entry, FullRun run) throws SQLException {
        for (String setting : entry.settings()) {
            st.execute(setting);
        }
        if (entry.sql().isEmpty()) {
            return true;
        }
        st.execute("SAVEPOINT replication_entry");
        try {
            st.execute(run.names().rewrite(entry.sql()));
            st.execute("RELEASE SAVEPOINT replication_entry");
            return true;
        } catch (SQLException e) {
            String error = run.names().explain(ObjectFailures.errorLine(e));
            if (!ObjectFailures.isObjectLevel(e) || ObjectPolicy.concernsTable(entry.type(), false)
                    || settings.full().strict()) {
                throw new SQLException(entry.displayName() + ": " + error, e.getSQLState(), e);
            }
            st.execute("ROLLBACK TO SAVEPOINT replication_entry");
            run.warn(entry.displayName(), error);
            return false;
        }
    }

    /** Whether the type an entry creates exists already (a range type shared by both copies, see NewCopyNames). */
    private static boolean exists(Statement st, RenderedScript.Entry entry) throws SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT pg_catalog.to_regtype("
                + Sql.literal(Sql.ident(entry.schema()) + "." + Sql.ident(entry.name())) + ") IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void rollback(Connection target) {
        try {
            target.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next: the transaction is rolled back anyway
        }
    }

    /** Fails the transaction when a kept table lost columns or disappeared through a cascade of the drops. */
    static String verification(Map<TableRef, Integer> keptColumnCounts) {
        if (keptColumnCounts.isEmpty()) {
            return "SELECT 1";
        }
        String expected = keptColumnCounts.entrySet().stream()
                .map(e -> "(" + Sql.literal(e.getKey().schema()) + ", " + Sql.literal(e.getKey().name()) + ", "
                        + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return """
                DO $verify$
                DECLARE damaged text;
                BEGIN
                    SELECT string_agg(format('%%I.%%I', k.schema_name, k.table_name), ', ') INTO damaged
                    FROM (VALUES %s) AS k(schema_name, table_name, column_count)
                    WHERE k.column_count <> (
                        SELECT count(a.attnum) FROM pg_catalog.pg_attribute a
                        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
                        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = k.schema_name AND c.relname = k.table_name
                          AND a.attnum > 0 AND NOT a.attisdropped);
                    IF damaged IS NOT NULL THEN
                        RAISE EXCEPTION 'kept tables would lose columns or disappear through dropped objects they use: %%', damaged;
                    END IF;
                END
                $verify$
                """.formatted(expected);
    }
}
