package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The component on its own, driven the way a switch of schemas drives it: the new copy built aside in a shadow
 * schema, then in one transaction the analysts' objects captured, the old tables moved away and dropped, the new
 * ones moved in with ALTER … SET SCHEMA, the analysts' objects created again; the materialized views refreshed
 * after the commit. Views of every kind of owner, options, comments, defaults, grants, indexes; a view over a kept
 * table left alone; a view the new copy cannot carry, a materialized view whose refresh fails and a relation the
 * new copy no longer has, reported.
 */
class AnalystObjectsTest {

    static final String ANALYST = "analyst_objects_analyst";
    static final String STRANGER = "analyst_objects_stranger";
    static final String METABASE = "analyst_objects_metabase";

    /** What the target holds before the switch (as its own user): the current copy, and the new one aside. */
    static final String REPLICA = """
            CREATE TABLE public.orders (id serial PRIMARY KEY, customer text NOT NULL, amount integer NOT NULL,
                                        discount integer);
            INSERT INTO public.orders (customer, amount, discount) VALUES ('a', 10, 1), ('b', 20, 2), ('a', 30, 3);
            CREATE TABLE public.kept_log (id integer, note text);
            INSERT INTO public.kept_log VALUES (1, 'kept');
            CREATE TABLE public.legacy (id integer);
            CREATE FUNCTION public.tax(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 / 5';
            CREATE SCHEMA shadow;
            CREATE TABLE shadow.orders (id serial PRIMARY KEY, customer text NOT NULL, amount integer NOT NULL);
            INSERT INTO shadow.orders (customer, amount)
                SELECT chr(97 + g % 3), g * 10 FROM generate_series(1, 9) g;
            CREATE SCHEMA retired;
            """;

    /** What analysts and an administrator built over the copy (as a superuser). */
    static final String ANALYSTS = """
            CREATE SCHEMA analysts;
            GRANT USAGE, CREATE ON SCHEMA analysts TO ordinary_replica_owner, %1$s, %2$s;
            GRANT USAGE ON SCHEMA analysts TO %3$s;
            GRANT SELECT ON public.orders TO %1$s, %2$s, %3$s;
            GRANT SELECT (id, note) ON public.kept_log TO %3$s;
            GRANT INSERT ON public.legacy TO %3$s;
            GRANT USAGE ON SEQUENCE public.orders_id_seq TO %3$s WITH GRANT OPTION;

            SET ROLE ordinary_replica_owner;
            CREATE VIEW analysts.by_customer WITH (security_barrier) AS
                SELECT customer, sum(amount) AS amount, count(*) AS orders FROM public.orders GROUP BY customer;
            COMMENT ON VIEW analysts.by_customer IS 'Amount per customer';
            COMMENT ON COLUMN analysts.by_customer.amount IS 'in cents';
            ALTER VIEW analysts.by_customer ALTER COLUMN orders SET DEFAULT 0;
            GRANT SELECT ON analysts.by_customer TO %1$s;
            GRANT SELECT (customer) ON analysts.by_customer TO %3$s;
            CREATE VIEW analysts.on_kept AS SELECT note FROM public.kept_log;
            CREATE VIEW analysts.taxes AS SELECT public.tax(100) AS tax;
            -- fills with the 3 current orders, not with the 9 of the new copy
            CREATE MATERIALIZED VIEW analysts.fragile AS SELECT 100 / (count(*) - 9) AS ratio FROM public.orders;
            RESET ROLE;

            SET ROLE %1$s;
            CREATE VIEW analysts.big_customers AS SELECT customer FROM analysts.by_customer WHERE amount > 15;
            CREATE MATERIALIZED VIEW analysts.totals AS SELECT count(*) AS orders, sum(amount) AS amount FROM public.orders;
            CREATE UNIQUE INDEX totals_orders_idx ON analysts.totals (orders);
            CREATE VIEW analysts.discounts WITH (check_option = local) AS
                SELECT id, discount FROM public.orders WHERE discount > 0;
            GRANT SELECT ON analysts.big_customers TO %3$s;
            RESET ROLE;

            CREATE VIEW analysts.strangers AS SELECT id FROM public.orders;
            ALTER VIEW analysts.strangers OWNER TO %2$s;
            """.formatted(ANALYST, STRANGER, METABASE);

    ReplicaTarget replica;
    final List<FullRun.Warning> warnings = new ArrayList<>();

    @BeforeEach
    void create() {
        TestPostgres.createRole(ANALYST, "analyst-Objects-1");
        TestPostgres.createRole(STRANGER, "stranger-Objects-2");
        TestPostgres.createRole(METABASE, "metabase-Objects-3");
        replica = ReplicaTarget.create("analyst_objects");
        // the target's user may SET ROLE to the analyst, not to the stranger
        TestPostgres.execute("GRANT " + ANALYST + " TO " + ReplicaTarget.ROLE);
        Db.execute(replica.url, REPLICA);
        Db.execute(replica.admin, ANALYSTS);
    }

    @AfterEach
    void drop() {
        replica.close();
    }

    @Test
    void analystsObjectsSurviveASwitchOfSchemas() throws Exception {
        String onKeptBefore = Db.scalar(replica.admin, "SELECT 'analysts.on_kept'::regclass::oid");
        String taxesBefore = Db.scalar(replica.admin, "SELECT 'analysts.taxes'::regclass::oid");
        AnalystObjects analysts = new AnalystObjects(Settings.from(Map.of("DATABASE_URL", replica.url.toString())));
        AnalystObjects.Scope scope = new AnalystObjects.Scope(Set.of("public"), Set.of("table public.kept_log"));
        List<AnalystView> toRefresh;
        try (Connection target = Connections.open(replica.url, "tests"); Statement st = target.createStatement()) {
            target.setAutoCommit(false);
            AnalystObjects.Captured captured = analysts.capture(target, scope);
            assertThat(captured.views()).extracting(AnalystView::displayName).containsExactly(
                    "VIEW analysts.by_customer", "VIEW analysts.big_customers", "VIEW analysts.discounts",
                    "MATERIALIZED VIEW analysts.fragile", "VIEW analysts.strangers", "VIEW analysts.taxes",
                    "MATERIALIZED VIEW analysts.totals");
            assertThat(captured.grants()).extracting(ReplicatedRelationGrants.OnRelation::displayName)
                    .containsExactly("GRANT ON public.legacy", "GRANT ON public.orders", "GRANT ON public.orders_id_seq");

            st.execute("ALTER TABLE public.orders SET SCHEMA retired");
            st.execute("DROP TABLE public.legacy");
            st.execute("DROP SCHEMA retired CASCADE");
            st.execute("ALTER TABLE shadow.orders SET SCHEMA public");
            toRefresh = analysts.restore(target, captured, (object, error, definition) ->
                    warnings.add(new FullRun.Warning(object, error, definition)));
            target.commit();
            analysts.refresh(target, toRefresh, (object, error, definition) ->
                    warnings.add(new FullRun.Warning(object, error, definition)));
            target.commit();
        }

        assertThat(toRefresh).extracting(AnalystView::name).containsExactly("fragile", "totals");
        assertThat(Db.rows(replica.admin, "SELECT customer, amount, orders FROM analysts.by_customer ORDER BY 1"))
                .containsExactly(List.of("a", "180", "3"), List.of("b", "120", "3"), List.of("c", "150", "3"));
        assertThat(Db.column(replica.admin, "SELECT customer FROM analysts.big_customers ORDER BY 1"))
                .containsExactly("a", "b", "c");
        assertThat(Db.rows(replica.admin, "SELECT orders, amount FROM analysts.totals")).containsExactly(List.of("9", "450"));
        assertThat(Db.rows(replica.admin, """
                SELECT c.relname, pg_get_userbyid(c.relowner), coalesce(array_to_string(c.reloptions, ','), '')
                FROM pg_class c WHERE c.relnamespace = 'analysts'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY 1"""))
                .containsExactly(List.of("big_customers", ANALYST, ""), List.of("by_customer", ReplicaTarget.ROLE, "security_barrier=true"),
                        List.of("fragile", ReplicaTarget.ROLE, ""), List.of("on_kept", ReplicaTarget.ROLE, ""), List.of("strangers", ReplicaTarget.ROLE, ""),
                        List.of("taxes", ReplicaTarget.ROLE, ""), List.of("totals", ANALYST, ""));
        assertThat(Db.scalar(replica.admin, "SELECT 'analysts.on_kept'::regclass::oid")).as("left alone").isEqualTo(onKeptBefore);
        // captured (public.tax is replicated), but the switch did not drop public.tax: nothing to do
        assertThat(Db.scalar(replica.admin, "SELECT 'analysts.taxes'::regclass::oid")).as("not dropped").isEqualTo(taxesBefore);
        assertThat(Db.scalar(replica.admin, "SELECT obj_description('analysts.by_customer'::regclass, 'pg_class')"))
                .isEqualTo("Amount per customer");
        assertThat(Db.scalar(replica.admin, "SELECT col_description('analysts.by_customer'::regclass, 2)")).isEqualTo("in cents");
        assertThat(Db.scalar(replica.admin, """
                SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'analysts.by_customer'::regclass"""))
                .isEqualTo("0");
        assertThat(Db.scalar(replica.admin, "SELECT indexdef FROM pg_indexes WHERE indexname = 'totals_orders_idx'"))
                .isEqualTo("CREATE UNIQUE INDEX totals_orders_idx ON analysts.totals USING btree (orders)");
        assertThat(Db.rows(replica.admin, """
                SELECT has_table_privilege('%1$s', 'analysts.by_customer', 'SELECT'),
                       has_column_privilege('%3$s', 'analysts.by_customer', 'customer', 'SELECT'),
                       has_column_privilege('%3$s', 'analysts.by_customer', 'amount', 'SELECT'),
                       has_table_privilege('%3$s', 'analysts.big_customers', 'SELECT'),
                       has_table_privilege('%3$s', 'public.orders', 'SELECT'),
                       has_table_privilege('%1$s', 'public.orders', 'SELECT'),
                       has_sequence_privilege('%3$s', 'public.orders_id_seq', 'USAGE WITH GRANT OPTION'),
                       has_column_privilege('%3$s', 'public.kept_log', 'note', 'SELECT')
                """.formatted(ANALYST, STRANGER, METABASE)))
                .containsExactly(List.of("t", "t", "f", "t", "t", "t", "t", "t"));

        assertThat(warnings).extracting(FullRun.Warning::object).containsExactly("GRANT ON public.legacy",
                "VIEW analysts.discounts", "VIEW analysts.strangers", "MATERIALIZED VIEW DATA analysts.fragile");
        assertThat(warnings.get(0).error()).isEqualTo("privileges not given again: the new copy has no relation public.legacy");
        assertThat(warnings.get(0).definition()).isEqualTo("GRANT INSERT ON TABLE \"public\".\"legacy\" TO \"" + METABASE + "\";");
        assertThat(warnings.get(1).error())
                .isEqualTo("not created again over the new copy: ERROR:  column orders.discount does not exist");
        assertThat(warnings.get(1).definition()).startsWith("CREATE VIEW \"analysts\".\"discounts\" WITH (check_option='local') AS\n")
                .contains("FROM public.orders").contains("ALTER VIEW \"analysts\".\"discounts\" OWNER TO \"" + ANALYST + "\";");
        assertThat(warnings.get(2).error()).startsWith("created again owned by " + ReplicaTarget.ROLE + " instead of " + STRANGER)
                .contains("ERROR:  permission denied to set role \"" + STRANGER + "\"");
        assertThat(warnings.get(2).definition())
                .isEqualTo("ALTER VIEW \"analysts\".\"strangers\" OWNER TO \"" + STRANGER + "\";");

        assertThat(warnings.get(3).error()).isEqualTo("not refreshed: ERROR:  division by zero");
        assertThat(warnings.get(3).definition()).isEqualTo("REFRESH MATERIALIZED VIEW \"analysts\".\"fragile\";");
        assertThat(Db.scalar(replica.admin, "SELECT ispopulated FROM pg_matviews WHERE matviewname = 'fragile'")).isEqualTo("f");

        // what the journal keeps can be replayed by an operator once the column is back
        Db.execute(replica.admin, "ALTER TABLE public.orders ADD COLUMN discount integer DEFAULT 5");
        Db.execute(replica.admin, warnings.get(1).definition());
        assertThat(Db.rows(replica.admin, "SELECT count(*), pg_get_userbyid((SELECT relowner FROM pg_class"
                + " WHERE oid = 'analysts.discounts'::regclass)) FROM analysts.discounts")).containsExactly(List.of("9", ANALYST));
    }
}
