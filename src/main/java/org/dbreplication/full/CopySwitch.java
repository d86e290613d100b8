package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FULL_REFRESH=swap: makes the new copy, built and checked beside the live one, the live copy — in one short
 * transaction, so that readers see either the previous complete copy or the new complete one, never a mix:
 * <ol>
 *   <li>the live objects the new copy replaces (kept tables and what they need excepted) move to the previous
 *       copy's schemas ({@code …_old_…}), the new copy's objects move into the live schemas (ALTER … SET SCHEMA:
 *       each table with its indexes, constraints, sequences, triggers and policies), the emptied new-copy schemas
 *       are dropped;</li>
 *   <li>its locks are taken with a short wait and the transaction is tried again with backoff until
 *       TARGET_LOCK_TIMEOUT ({@link LockRetry}): a long analyst query never makes the others wait behind the switch;
 *   </li>
 *   <li>then the previous copy is dropped the same way; what cannot be dropped now (a reader still on it) is left
 *       to the next run, which also removes what a killed run left.</li>
 * </ol>
 */
public class CopySwitch {

    private static final Logger LOG = LoggerFactory.getLogger(CopySwitch.class);
    private final Settings settings;
    private final AnalystObjects analysts;

    public CopySwitch(Settings settings, AnalystObjects analysts) {
        this.settings = settings;
        this.analysts = analysts;
    }

    /** Whether the new copy is built aside and switched in (FULL_REFRESH=swap). */
    public boolean buildsAside(@ExchangeProperty(FullRun.PROPERTY) FullRun run) {
        return run.buildsAside();
    }

    /** Before anything is built: removes the swap schemas a killed or interrupted run left behind. */
    public void removeLeftovers() throws SQLException {
        try (Connection target = open()) {
            List<String> leftovers = ShadowSchemas.leftovers(target, settings.databases().replicationSchema());
            if (!leftovers.isEmpty()) {
                LOG.info("removing what an earlier run left: {}", v("schemas", String.join(", ", leftovers)));
                ShadowSchemas.dropQuietly(target, leftovers, retry());
            }
        }
    }

    public void switchIn(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        Map<String, String> previous = ShadowSchemas.names(settings.databases().replicationSchema(), run.runId(), run.liveSchemas(), "old");
        Instant start = Instant.now();
        int[] moved = new int[2];
        java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
        int tries;
        try (Connection target = open()) {
            tries = retry().run(target, "switching the new copy in", st -> {
                TargetInspection.Result live = TargetInspection.inspect(target, run.liveSchemas(), run.keptTables(), List.of());
                // analysts' views over the replaced objects: read them, drop them, create them again over the new copy
                AnalystObjects.Captured captured = analysts.capture(target, run.analystScope());
                ShadowSchemas.create(st, previous, "previous copy of", run.runId());
                boolean strangers = dropFollowers(st, captured);
                lockTables(st, live.replaced(), attempt.incrementAndGet());
                // range types stay where they are, shared by both copies (see NewCopyNames)
                moved[0] = move(st, live.replaced().stream().filter(o -> !o.rangePart()).toList(), previous);
                List<Long> newRelations = DefaultPrivileges.relationsOf(target, run.newSchemas().values());
                moved[1] = move(st, SchemaObjects.of(target, run.newSchemas().values()), inverse(run.newSchemas()));
                DefaultPrivileges.apply(target, st, newRelations);
                if (strangers) {
                    // views of roles the target's user cannot act as went with the previous copy: drop it now, its
                    // CASCADE takes them (no ownership needed), so that their names are free to create them again
                    for (String schema : previous.values()) {
                        st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(schema) + " CASCADE");
                    }
                }
                for (String schema : run.newSchemas().values()) {
                    // RESTRICT: an object left in it would mean the new copy is not whole in the live schemas
                    st.execute("DROP SCHEMA " + Sql.ident(schema));
                }
                run.analystMaterializedViews(analysts.restore(target, captured, run::warn));
            });
        } catch (SQLException e) {
            throw new SQLException("the new copy was not switched in (the live copy is as it was): " + e.getMessage(),
                    e.getSQLState(), e);
        }
        run.switched(true);
        long millis = Duration.between(start, Instant.now()).toMillis();
        run.items().add(new RestoreItem("SWITCH", String.join(", ", run.liveSchemas()) + " (" + tries + " tries)", start,
                Instant.now(), -1));
        LOG.info("new copy switched in: {} objects of the previous copy moved out, {} moved in, in {} ms ({} tries)",
                v("retired", moved[0]), v("moved_in", moved[1]), v("switch_ms", millis), v("switch_tries", tries));
        analysts.refreshMaterializedViews(run);
    }

    /** After the switch: drops the previous copy, never holding readers up; what is left, the next run drops. */
    public void dropPrevious(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        try (Connection target = open()) {
            List<String> previous = new ArrayList<>(ShadowSchemas.leftovers(target, settings.databases().replicationSchema()));
            ShadowSchemas.dropQuietly(target, previous, retry());
        }
    }

    /** In any case at the end of the step: a new copy that was not switched in is removed (the live one stays). */
    public void discardUnfinished(@ExchangeProperty(FullRun.PROPERTY) FullRun run) {
        if (run == null || !run.buildsAside() || run.switched()) {
            return;
        }
        try (Connection target = open()) {
            List<String> unfinished = ShadowSchemas.leftovers(target, settings.databases().replicationSchema()).stream()
                    .filter(run.newSchemas().values()::contains).toList();
            if (!unfinished.isEmpty() && ShadowSchemas.dropQuietly(target, unfinished, retry()).isEmpty()) {
                LOG.info("the unfinished new copy was removed; the live copy is as it was: {}",
                        v("schemas", String.join(", ", unfinished)));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the unfinished new copy is left for the next run to remove: {}", v("error", e.getMessage()));
        }
    }

    private static int move(java.sql.Statement st, List<SchemaObjects.SchemaObject> objects, Map<String, String> into)
            throws SQLException {
        int moved = 0;
        for (SchemaObjects.SchemaObject object : objects) {
            String move = object.moveTo(into.get(object.schema()));
            if (move != null) {
                try {
                    st.execute(move);
                } catch (SQLException e) {
                    throw new SQLException(move + ": " + ObjectFailures.errorLine(e), e.getSQLState(), e);
                }
                moved++;
            }
        }
        return moved;
    }

    /**
     * Drops the analysts' views over the replaced objects, dependents first, before the moves: they would follow them
     * into the previous copy's schemas (a view reads its tables by OID) and go with it, so they are dropped as the
     * in-place refresh's {@code DROP … CASCADE} drops them, and {@link AnalystObjects#restore} creates them again over
     * the new copy. Before the moves: a reader locks a view, then its tables, and so does this. A view the target's user may not drop (another role's, of which it is not a
     * member) is left to follow its tables into the previous copy, dropped with it by CASCADE in the same transaction.
     *
     * @return whether such a view was left
     */
    private static boolean dropFollowers(java.sql.Statement st, AnalystObjects.Captured captured) throws SQLException {
        List<AnalystView> views = new ArrayList<>(captured.views());
        java.util.Collections.reverse(views);
        boolean strangers = false;
        for (AnalystView view : views) {
            String drop = "DROP " + view.kind() + " IF EXISTS " + view.quoted() + " CASCADE";
            st.execute("SAVEPOINT follower");
            try {
                st.execute(drop);
                st.execute("RELEASE SAVEPOINT follower");
            } catch (SQLException e) {
                st.execute("ROLLBACK TO SAVEPOINT follower");
                if (!"42501".equals(e.getSQLState())) {
                    throw new SQLException(drop + ": " + ObjectFailures.errorLine(e), e.getSQLState(), e);
                }
                strangers = true;
            }
        }
        return strangers;
    }

    /**
     * Locks the live tables to be moved before moving them, in name order on odd tries and in the reverse order on
     * even ones. Why: a reader joining two of them locks them in its own order (that of its FROM clause); a switch
     * holding one while it waits for the other would deadlock with it, and its try would end at its lock timeout,
     * again and again under a steady flow of such readers. One of the two orders is the readers' own.
     */
    private static void lockTables(java.sql.Statement st, List<SchemaObjects.SchemaObject> replaced, int attempt)
            throws SQLException {
        List<SchemaObjects.SchemaObject> tables = new ArrayList<>(replaced.stream()
                .filter(o -> o.keyword().equals("TABLE") && !o.withParent()).toList());
        if (attempt % 2 == 0) {
            java.util.Collections.reverse(tables);
        }
        for (SchemaObjects.SchemaObject table : tables) {
            String lock = "LOCK TABLE " + table.identity() + " IN ACCESS EXCLUSIVE MODE";
            try {
                st.execute(lock);
            } catch (SQLException e) {
                throw new SQLException(lock + ": " + ObjectFailures.errorLine(e), e.getSQLState(), e);
            }
        }
    }

    private static Map<String, String> inverse(Map<String, String> map) {
        Map<String, String> inverse = new java.util.HashMap<>();
        map.forEach((key, value) -> inverse.put(value, key));
        return inverse;
    }

    private LockRetry retry() {
        return new LockRetry(Duration.ofSeconds(settings.databases().targetLockTimeoutSeconds()));
    }

    private Connection open() {
        return Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
    }
}
