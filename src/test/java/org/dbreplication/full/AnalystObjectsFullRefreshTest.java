package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.ContentApi;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What analysts build over the copy survives the nightly full refresh (today's in-place replacement): their schema
 * and its table, views over replicated tables and over each other, a materialized view with its index, owned by the
 * target's user or by an analyst, and the privileges given on replicated tables and on their views. A view that the
 * new copy can no longer carry (the source dropped a column it uses) is reported, its definition kept in the journal.
 */
class AnalystObjectsFullRefreshTest {

    static final String ANALYST = "analyst_refresh_analyst";
    static final String METABASE = "analyst_refresh_metabase";

    static final String SOURCE = """
            CREATE TABLE public.orders (id serial PRIMARY KEY, customer text NOT NULL, amount integer NOT NULL,
                                        discount integer NOT NULL DEFAULT 0, month date NOT NULL);
            CREATE TABLE public.customers (id text PRIMARY KEY, name text NOT NULL, email text NOT NULL);
            INSERT INTO public.customers VALUES ('a', 'Ada', 'ada@example.org'), ('b', 'Bob', 'bob@example.org');
            """;

    /** Made on the copy by an administrator and analysts, once, after the first full refresh. */
    static final String ANALYSTS = """
            CREATE SCHEMA analysts;
            GRANT USAGE, CREATE ON SCHEMA analysts TO ordinary_replica_owner, %1$s;
            GRANT USAGE ON SCHEMA analysts TO %2$s;
            GRANT SELECT ON public.orders TO %1$s, %2$s;
            GRANT SELECT (id, name) ON public.customers TO %2$s;
            CREATE TABLE analysts.goals (month date PRIMARY KEY, amount integer);
            INSERT INTO analysts.goals VALUES ('2026-01-01', 1000);

            SET ROLE ordinary_replica_owner;
            CREATE VIEW analysts.monthly AS
                SELECT month, count(*) AS orders, sum(amount) AS amount FROM public.orders GROUP BY month;
            GRANT SELECT ON analysts.monthly TO %1$s, %2$s;
            RESET ROLE;

            SET ROLE %1$s;
            CREATE VIEW analysts.big_months AS SELECT month FROM analysts.monthly WHERE orders >= 3;
            CREATE MATERIALIZED VIEW analysts.customer_totals AS
                SELECT customer, count(*) AS orders, sum(amount) AS amount FROM public.orders GROUP BY customer;
            CREATE UNIQUE INDEX customer_totals_customer_idx ON analysts.customer_totals (customer);
            CREATE VIEW analysts.discounts AS SELECT id, discount FROM public.orders WHERE discount > 0;
            RESET ROLE;
            """.formatted(ANALYST, METABASE);

    DatabaseUrl source;
    ReplicaTarget replica;

    @BeforeEach
    void create() {
        TestPostgres.createRole(ANALYST, "analyst-Refresh-1");
        TestPostgres.createRole(METABASE, "metabase-Refresh-2");
        source = TestPostgres.createDatabase("analyst_refresh_source", null);
        Db.execute(source, SOURCE);
        replica = ReplicaTarget.create("analyst_refresh_target");
        // the target's user may SET ROLE to the analyst: the analyst's views are created again as the analyst
        TestPostgres.execute("GRANT " + ANALYST + " TO " + ReplicaTarget.ROLE);
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        replica.close();
    }

    /** Orders of January and February, {@code perMonth} each, alternately for customers a and b. */
    void sourceGains(int perMonth) {
        Db.execute(source, """
                INSERT INTO public.orders (customer, amount, discount, month)
                SELECT CASE WHEN g %% 2 = 0 THEN 'a' ELSE 'b' END, 10, g %% 3, m
                FROM generate_series(1, %d) g, (VALUES (date '2026-01-01'), (date '2026-02-01')) AS months(m)
                """.formatted(perMonth));
    }

    /** The full step's variables: the in-place refresh (the default); a subclass runs the same story in another mode. */
    Map<String, String> variables() {
        return replica.variables(source.toString());
    }

    @Test
    void analystsObjectsSurviveEveryFullRefreshAndABrokenOneIsReportedWithItsDefinition() throws Exception {
        Map<String, String> variables = variables();
        sourceGains(2);
        assertThat(ReplicaTarget.runFull(variables).exitCode()).isZero();
        Db.execute(replica.admin, ANALYSTS);

        for (int night = 1; night <= 2; night++) {
            sourceGains(2);
            long orders = Db.count(source, "SELECT count(*) FROM public.orders");

            CliRunner.Result result = ReplicaTarget.runFull(variables);

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Db.count(replica.admin, "SELECT count(*) FROM replication.step_warnings")).isZero();
            assertThat(Db.count(replica.admin, "SELECT sum(orders) FROM analysts.monthly")).isEqualTo(orders);
            assertThat(Db.column(replica.admin, "SELECT month FROM analysts.big_months ORDER BY 1"))
                    .containsExactly("2026-01-01", "2026-02-01");
            assertThat(Db.rows(replica.admin, "SELECT customer, orders FROM analysts.customer_totals ORDER BY 1"))
                    .containsExactly(List.of("a", String.valueOf(orders / 2)), List.of("b", String.valueOf(orders / 2)));
            assertThat(Db.count(replica.admin, "SELECT count(*) FROM analysts.discounts"))
                    .isEqualTo(Db.count(source, "SELECT count(*) FROM public.orders WHERE discount > 0"));
            assertThat(Db.rows(replica.admin, "SELECT * FROM analysts.goals")).containsExactly(List.of("2026-01-01", "1000"));
            assertThat(Db.scalar(replica.admin, "SELECT indexdef FROM pg_indexes WHERE indexname = 'customer_totals_customer_idx'"))
                    .isEqualTo("CREATE UNIQUE INDEX customer_totals_customer_idx ON analysts.customer_totals USING btree (customer)");
            assertThat(Db.rows(replica.admin, """
                    SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c
                    WHERE c.relnamespace = 'analysts'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1"""))
                    .containsExactly(List.of("big_months", ANALYST), List.of("customer_totals", ANALYST),
                            List.of("discounts", ANALYST), List.of("monthly", ReplicaTarget.ROLE));
            assertThat(Db.rows(replica.admin, """
                    SELECT has_table_privilege('%1$s', 'public.orders', 'SELECT'),
                           has_table_privilege('%2$s', 'public.orders', 'SELECT'),
                           has_table_privilege('%2$s', 'analysts.monthly', 'SELECT'),
                           has_column_privilege('%2$s', 'public.customers', 'name', 'SELECT'),
                           has_column_privilege('%2$s', 'public.customers', 'email', 'SELECT'),
                           has_table_privilege('%2$s', 'analysts.big_months', 'SELECT')
                    """.formatted(ANALYST, METABASE))).as("night " + night)
                    .containsExactly(List.of("t", "t", "t", "t", "f", "f"));
        }

        Db.execute(source, "ALTER TABLE public.orders DROP COLUMN discount;"
                + " INSERT INTO public.orders (customer, amount, month) VALUES ('a', 5, '2026-03-01'), ('b', 5, '2026-03-01')");
        try (ContentApi webhook = new ContentApi()) {
            variables.put("NOTIFICATIONS", "[\"" + webhook.baseUrl() + "/hook\"]");

            CliRunner.Result result = ReplicaTarget.run(variables, "run", "--from", "full");

            assertThat(result.exitCode()).as(result.err()).isZero();
            List<List<String>> warnings = Db.rows(replica.admin, "SELECT object, error, definition FROM replication.step_warnings"
                    + " WHERE run_id = (SELECT max(id) FROM replication.runs)");
            assertThat(warnings).singleElement().satisfies(w -> {
                assertThat(w.get(0)).isEqualTo("VIEW analysts.discounts");
                assertThat(w.get(1)).isEqualTo("not created again over the new copy: ERROR:  column orders.discount does not exist");
                assertThat(w.get(2)).startsWith("CREATE VIEW \"analysts\".\"discounts\" AS\n")
                        .contains("FROM public.orders").contains("OWNER TO \"" + ANALYST + "\"");
            });
            assertThat(Db.scalar(replica.admin, "SELECT to_regclass('analysts.discounts')")).isNull();
            assertThat(Db.count(replica.admin, "SELECT sum(orders) FROM analysts.monthly"))
                    .isEqualTo(Db.count(source, "SELECT count(*) FROM public.orders"));
            assertThat(Db.count(replica.admin, "SELECT sum(orders) FROM analysts.customer_totals"))
                    .isEqualTo(Db.count(source, "SELECT count(*) FROM public.orders"));
            assertThat(Db.count(replica.admin, "SELECT count(*) FROM analysts.big_months")).isEqualTo(2);
            assertThat(Db.column(replica.admin, "SELECT status FROM replication.runs ORDER BY id DESC LIMIT 1"))
                    .containsExactly("succeeded");
            assertThat(webhook.requests).singleElement().satisfies(request -> assertThat(request.body())
                    .contains("\"object\":\"VIEW analysts.discounts\"").contains("\"definition\":\"CREATE VIEW"));
        }

        CliRunner.Result report = ReplicaTarget.run(variables, "report");
        assertThat(report.out()).contains("Warnings: 1 object(s) left out of the copy")
                .contains("full: VIEW analysts.discounts — not created again over the new copy: ERROR:  column orders.discount")
                .contains("\n      CREATE VIEW \"analysts\".\"discounts\" AS\n");
    }

    static final String STRANGER = "analyst_refresh_stranger";

    @Test
    void aViewOfARoleTheTargetsUserCannotActAsIsCreatedAgainOwnedByTheTargetsUserWithAWarning() {
        Map<String, String> variables = variables();
        sourceGains(2);
        assertThat(ReplicaTarget.runFull(variables).exitCode()).isZero();
        TestPostgres.createRole(STRANGER, "stranger-Refresh-3");
        // a role the target's user is not a member of: it may neither drop its view nor SET ROLE to it
        Db.execute(replica.admin, """
                CREATE SCHEMA analysts;
                GRANT USAGE, CREATE ON SCHEMA analysts TO ordinary_replica_owner, %1$s;
                GRANT SELECT ON public.orders TO %1$s;
                CREATE VIEW analysts.stranger_orders AS SELECT count(*) AS n FROM public.orders;
                ALTER VIEW analysts.stranger_orders OWNER TO %1$s;
                """.formatted(STRANGER));

        for (int night = 1; night <= 2; night++) {
            sourceGains(1);
            CliRunner.Result result = ReplicaTarget.runFull(variables);

            assertThat(result.exitCode()).as("night %d: %s", night, result.err()).isZero();
            assertThat(Db.count(replica.admin, "SELECT n FROM analysts.stranger_orders"))
                    .isEqualTo(Db.count(source, "SELECT count(*) FROM public.orders"));
            assertThat(Db.scalar(replica.admin, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'analysts.stranger_orders'::regclass"))
                    .isEqualTo(ReplicaTarget.ROLE);
            // the first night says so (with the ALTER … OWNER TO to run); from then on the view is the target user's
            List<String> warned = Db.column(replica.admin, "SELECT object FROM replication.step_warnings"
                    + " WHERE run_id = (SELECT max(id) FROM replication.runs)");
            assertThat(warned).as("night %d", night).isEqualTo(night == 1 ? List.of("VIEW analysts.stranger_orders") : List.of());
        }
    }
}
