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
 * One object that cannot be restored does not cost the night: a materialized view whose refresh fails and a function
 * (with the view over it) that the target's user may not create are left out with a warning named in the log, the
 * journal, the report and the webhooks' summary; FULL_STRICT=true fails the step instead. A table that cannot be
 * created always fails the step, and leaves the target as it was.
 */
class ObjectFailureTest {

    static final String SOURCE = """
            CREATE TABLE public.orders (id integer PRIMARY KEY, amount integer NOT NULL);
            INSERT INTO public.orders SELECT g, g * 10 FROM generate_series(1, 500) g;
            -- the function's body names its table without a schema: pg_restore refreshes with an empty search_path
            CREATE FUNCTION public.order_total() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT sum(amount) FROM orders';
            CREATE MATERIALIZED VIEW public.totals AS SELECT public.order_total() AS total;
            CREATE UNIQUE INDEX totals_total_idx ON public.totals (total);
            -- only a superuser may create a function in the internal language
            CREATE FUNCTION public.text_length(text) RETURNS integer LANGUAGE internal IMMUTABLE STRICT AS 'textlen';
            CREATE VIEW public.order_labels AS SELECT id, public.text_length(id::text) AS digits FROM public.orders;
            CREATE VIEW public.big_orders AS SELECT id FROM public.orders WHERE amount > 4000;
            """;

    DatabaseUrl source;
    ReplicaTarget replica;
    DatabaseUrl target;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("object_failure_source", null);
        Db.execute(source, SOURCE);
        replica = ReplicaTarget.create("object_failure_target");
        target = replica.url;
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        replica.close();
    }

    Map<String, String> variables() {
        return replica.variables(source.toString());
    }

    @Test
    void objectsThatCannotBeRestoredAreLeftOutWithAWarningEverywhereAndTheTablesAreComplete() throws Exception {
        try (ContentApi webhook = new ContentApi()) {
            Map<String, String> variables = variables();
            variables.put("NOTIFICATIONS", "[\"" + webhook.baseUrl() + "/hook\"]");

            CliRunner.Result result = CliRunner.run(variables, "run", "--from", "full");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Db.count(target, "SELECT count(*) FROM public.orders")).isEqualTo(500);
            assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE tablename = 'orders'")).contains("orders_pkey");
            assertThat(Db.count(target, "SELECT count(*) FROM public.big_orders")).isEqualTo(100);
            List<List<String>> warnings = Db.rows(target, "SELECT object, error FROM replication.step_warnings ORDER BY object");
            assertThat(warnings).extracting(w -> w.get(0)).containsExactly("FUNCTION public.text_length(text)",
                    "MATERIALIZED VIEW DATA public.totals", "VIEW public.order_labels");
            assertThat(warnings.get(0).get(1)).isEqualTo("ERROR:  permission denied for language internal");
            assertThat(warnings.get(1).get(1)).isEqualTo("ERROR:  relation \"orders\" does not exist");
            assertThat(warnings.get(2).get(1)).contains("function public.text_length(text) does not exist");
            assertThat(Db.column(target, "SELECT status FROM replication.runs")).containsExactly("succeeded");
            assertThat(webhook.requests).singleElement().satisfies(request -> assertThat(request.body())
                    .contains("\"warnings\":[").contains("\"object\":\"VIEW public.order_labels\"")
                    .contains("permission denied for language internal"));

            CliRunner.Result report = CliRunner.run(variables, "report");
            assertThat(report.out()).contains("Warnings: 3 object(s) left out of the copy")
                    .contains("full: MATERIALIZED VIEW DATA public.totals — ERROR:  relation \"orders\" does not exist");
        }
    }

    @Test
    void fullStrictFailsTheStepNamingTheObjectAndTheTargetStaysAsItWas() {
        assertThat(CliRunner.run(variables(), "run", "--only", "full").exitCode()).isZero();
        Map<String, String> before = Db.state(target);
        Map<String, String> variables = variables();
        variables.put("FULL_STRICT", "true");

        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("FUNCTION public.text_length(text): ERROR:  permission denied for language internal")
                .contains("rolled back");
        assertThat(Db.state(target)).isEqualTo(before);
        assertThat(Db.scalar(target, "SELECT error FROM replication.runs WHERE id = 2")).contains("FUNCTION public.text_length(text)");
    }

    @Test
    void aTableThatCannotBeCreatedAlwaysFailsTheStepAndTheTargetStaysAsItWas() {
        assertThat(CliRunner.run(variables(), "run", "--only", "full").exitCode()).isZero();
        Map<String, String> before = Db.state(target);
        Db.execute(source, "CREATE TABLE public.codes (code text CHECK (public.text_length(code) = 3))");

        CliRunner.Result result = CliRunner.run(variables(), "run", "--only", "full");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("TABLE public.codes: ERROR:  function public.text_length(text) does not exist");
        assertThat(Db.state(target)).isEqualTo(before);
    }
}
