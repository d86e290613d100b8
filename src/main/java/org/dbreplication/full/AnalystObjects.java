package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What analysts built over the copy, carried across the replacement of the replicated schemas: the views and
 * materialized views of their own schemas that the {@code DROP … CASCADE} of the replaced objects would take with it,
 * and the privileges they gave on replicated relations. {@link #capture} reads them before the replaced objects are
 * dropped (or moved away), {@link #restore} creates them again once the new objects are in place under the same
 * names — both inside the caller's transaction — and {@link #refresh} fills the materialized views once the new
 * tables hold their rows.
 *
 * <p>Nothing here fails the step for an analyst's object: one that cannot be created again (it uses a column or a
 * table the source dropped) is left out with a warning carrying the server's {@code ERROR:} line and the statements
 * that create it, kept in the run journal. Only a failure that is not about the object (connection, lock timeout…)
 * is thrown, and the caller's transaction is then rolled back as a whole.
 *
 * <p>A view is created again by its owner ({@code SET ROLE}) when the target's user may take that role; otherwise
 * by the target's user, which then owns it, with a warning giving the {@code ALTER … OWNER TO} to run.
 */
public class AnalystObjects {

    private static final Logger LOG = LoggerFactory.getLogger(AnalystObjects.class);
    private static final String SAVEPOINT = "replication_analyst_object";
    private final Settings settings;

    public AnalystObjects(Settings settings) {
        this.settings = settings;
    }

    /**
     * What the replacement replaces on the target.
     *
     * @param replicatedSchemas  the schemas the source has (their objects are dropped and created again)
     * @param survivorIdentities objects kept in place, {@link TargetInspection#key} ({@code table public.users}): the
     *                           kept tables of BACKUP_MODE and what they need ({@link TargetInspection.Result})
     */
    record Scope(Set<String> replicatedSchemas, Set<String> survivorIdentities) {
    }

    /**
     * @param views  analysts' views to create again, each after those it uses
     * @param grants privileges on the replicated relations being replaced
     */
    record Captured(List<AnalystView> views, List<ReplicatedRelationGrants.OnRelation> grants) {
    }

    /** Where an object left out goes: {@link FullRun#warn(String, String, String)}. */
    @FunctionalInterface
    interface Warnings {
        void warn(String object, String error, String definition);
    }

    /** Before the replaced objects are dropped or moved away; reads the catalog only. */
    Captured capture(Connection target, Scope scope) throws SQLException {
        Set<String> excluded = new HashSet<>(scope.replicatedSchemas());
        excluded.add(settings.databases().replicationSchema());
        try (Statement st = target.createStatement()) {
            String searchPath = emptySearchPath(st);
            Captured captured = new Captured(
                    AnalystViewCapture.capture(target, excluded, scope.replicatedSchemas(), scope.survivorIdentities()),
                    ReplicatedRelationGrants.capture(target, scope.replicatedSchemas(), scope.survivorIdentities()));
            st.execute("SELECT pg_catalog.set_config('search_path', " + Sql.literal(searchPath) + ", false)");
            LOG.info("analysts' objects captured: {} views over replaced objects ({} materialized), privileges on {} relations",
                    v("analyst_views", captured.views().size()),
                    v("analyst_materialized_views", captured.views().stream().filter(AnalystView::materialized).count()),
                    v("granted_relations", captured.grants().size()));
            return captured;
        }
    }

    /**
     * Once the new objects are in place under the same names: the privileges first, then the views in dependency
     * order, each under its own savepoint (materialized views WITH NO DATA).
     *
     * @return the materialized views created again, to {@link #refresh} once the new tables hold their rows
     */
    List<AnalystView> restore(Connection target, Captured captured, Warnings warnings) throws SQLException {
        List<AnalystView> toRefresh = new ArrayList<>();
        if (captured.views().isEmpty() && captured.grants().isEmpty()) {
            return toRefresh;
        }
        try (Statement st = target.createStatement()) {
            String searchPath = emptySearchPath(st);
            String self = currentUser(st);
            for (ReplicatedRelationGrants.OnRelation relation : captured.grants()) {
                List<String> grants = ReplicatedRelationGrants.statements(target, relation);
                Optional<String> error = grants.isEmpty()
                        ? Optional.of("the new copy has no relation " + relation.relation().schema() + "."
                        + relation.relation().name())
                        : underSavepoint(st, grants, false);
                error.ifPresent(e -> warnings.warn(relation.displayName(), "privileges not given again: " + e,
                        relation.replayScript()));
            }
            int created = 0;
            int failed = 0;
            for (AnalystView view : captured.views()) {
                if (ReplicatedRelationGrants.relkind(target, new TableRef(view.schema(), view.name())) != null) {
                    // still there: nothing it uses was dropped (captured is a superset of what the drops take)
                    continue;
                }
                if (createAgain(st, view, self, warnings)) {
                    created++;
                    if (view.materialized()) {
                        toRefresh.add(view);
                    }
                } else {
                    failed++;
                }
            }
            st.execute("SELECT pg_catalog.set_config('search_path', " + Sql.literal(searchPath) + ", false)");
            LOG.info("analysts' objects created again: {} views, {} left out with a warning; privileges on {} relations",
                    v("analyst_views", created), v("analyst_views_failed", failed),
                    v("granted_relations", captured.grants().size()));
        }
        return toRefresh;
    }

    /** One view, as its owner when the target's user ({@code self}) may take that role; false when left out. */
    private static boolean createAgain(Statement st, AnalystView view, String self, Warnings warnings) throws SQLException {
        boolean otherOwner = !view.owner().equals(self);
        Optional<String> refused = otherOwner ? underSavepoint(st, List.of(setRole(view.owner())), false) : Optional.empty();
        Optional<String> error = underSavepoint(st, view.creation(), false);
        if (otherOwner && refused.isEmpty()) {
            st.execute(setRole(self));
        }
        if (error.isPresent()) {
            warnings.warn(view.displayName(), "not created again over the new copy: " + error.get(), view.replayScript());
            return false;
        }
        if (refused.isPresent()) {
            warnings.warn(view.displayName(), "created again owned by " + self + " instead of " + view.owner()
                            + " (the target's user may not take that role: " + refused.get() + ")",
                    "ALTER " + view.kind() + " " + view.quoted() + " OWNER TO " + Sql.ident(view.owner()) + ";");
        }
        return true;
    }

    /**
     * Fills materialized views created WITH NO DATA by {@link #restore}, in their order, each as its owner when the
     * target's user may take that role and under its own savepoint of the caller's transaction. One that fails is
     * left unfilled with a warning ({@code MATERIALIZED VIEW DATA analysts.totals}); only a lost connection throws.
     *
     * @return how many were left unfilled
     */
    int refresh(Connection target, List<AnalystView> materializedViews, Warnings warnings) throws SQLException {
        int failed = 0;
        try (Statement st = target.createStatement()) {
            String self = currentUser(st);
            for (AnalystView view : materializedViews) {
                boolean otherOwner = !view.owner().equals(self);
                boolean asOwner = otherOwner && underSavepoint(st, List.of(setRole(view.owner())), false).isEmpty();
                String refresh = "REFRESH MATERIALIZED VIEW " + view.quoted() + ";";
                Optional<String> error = underSavepoint(st, List.of(refresh), true);
                if (asOwner) {
                    st.execute(setRole(self));
                }
                if (error.isPresent()) {
                    failed++;
                    warnings.warn("MATERIALIZED VIEW DATA " + view.schema() + "." + view.name(),
                            "not refreshed: " + error.get(), refresh);
                }
            }
        }
        return failed;
    }

    /**
     * Route {@code full}, after the enrichment: refreshes the analysts' materialized views that the schema
     * replacement created again, each in its own transaction (waiting at most TARGET_LOCK_TIMEOUT for a lock).
     */
    public void refreshMaterializedViews(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        List<AnalystView> views = run.analystMaterializedViews();
        if (views.isEmpty()) {
            return;
        }
        int failed = 0;
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             Statement st = target.createStatement()) {
            st.execute("SET lock_timeout = " + Sql.literal(settings.databases().targetLockTimeoutSeconds() + "s"));
            target.setAutoCommit(false);
            for (AnalystView view : views) {
                failed += refresh(target, List.of(view), run::warn);
                target.commit();
            }
        }
        LOG.info("analysts' materialized views refreshed: {}, {} left unfilled with a warning",
                v("analyst_materialized_views", views.size() - failed), v("analyst_materialized_views_failed", failed));
    }

    /**
     * Runs statements under a savepoint; the {@code ERROR:} line when they failed and were rolled back. A failure that
     * is not about the object (connection, lock, resources: {@link ObjectFailures#isObjectLevel}) is thrown instead,
     * unless {@code anyServerError}: then only a lost connection is.
     */
    private static Optional<String> underSavepoint(Statement st, List<String> statements, boolean anyServerError)
            throws SQLException {
        st.execute("SAVEPOINT " + SAVEPOINT);
        try {
            for (String statement : statements) {
                st.execute(statement);
            }
            st.execute("RELEASE SAVEPOINT " + SAVEPOINT);
            return Optional.empty();
        } catch (SQLException e) {
            boolean connectionLost = e.getSQLState() == null || e.getSQLState().startsWith("08");
            if (anyServerError ? connectionLost : !ObjectFailures.isObjectLevel(e)) {
                throw e;
            }
            st.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
            return Optional.of(ObjectFailures.errorLine(e));
        }
    }

    private static String setRole(String role) {
        return "SET ROLE " + Sql.ident(role);
    }

    private static String currentUser(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Sets an empty search path (every name pg_get_viewdef writes is then qualified); returns the previous one. */
    private static String emptySearchPath(Statement st) throws SQLException {
        String previous;
        try (ResultSet rs = st.executeQuery("SELECT pg_catalog.current_setting('search_path')")) {
            rs.next();
            previous = rs.getString(1);
        }
        st.execute("SELECT pg_catalog.set_config('search_path', '', false)");
        return previous;
    }
}
