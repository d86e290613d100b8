package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.Readers;
import org.dbreplication.WaitFor;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FULL_REFRESH=swap against a real PostgreSQL with the real pg_dump and pg_restore: readers of the copy see the
 * complete previous copy or the complete new one, never a mix, an error or a long wait; a step that fails leaves the
 * live copy as it was and no schema of its own behind; kept tables never move; the switch is logged and journaled.
 */
class SwapTest {

    static final String SOURCE = """
            CREATE TABLE public.t (id integer PRIMARY KEY, x integer NOT NULL);
            CREATE TABLE public.u (id integer PRIMARY KEY, t_id integer NOT NULL REFERENCES public.t, y integer NOT NULL);
            CREATE INDEX u_t_id_idx ON public.u (t_id);
            INSERT INTO public.t SELECT g, g % 100 FROM generate_series(1, 20000) g;
            INSERT INTO public.u SELECT g, 1 + g % 20000, g % 7 FROM generate_series(1, 20000) g;
            """;

    /** What the source does between two nights: rows added to both tables, a column added to one. */
    static final String SOURCE_CHANGES = """
            ALTER TABLE public.t ADD COLUMN note text NOT NULL DEFAULT 'added';
            INSERT INTO public.t (id, x) SELECT g, 3 FROM generate_series(20001, 21000) g;
            INSERT INTO public.u SELECT g, g, 1 FROM generate_series(20001, 20500) g;
            """;

    static final String TABLE_QUERY = "SELECT count(*), sum(x) FROM public.t";
    static final String JOIN_QUERY = "SELECT count(*), sum(t.x + u.y) FROM public.u JOIN public.t ON t.id = u.t_id";

    DatabaseUrl source;
    ReplicaTarget replica;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("swap_source", null);
        Db.execute(source, SOURCE);
        replica = ReplicaTarget.create("swap_target");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        replica.close();
    }

    /** The full step into the test's target in swap mode. */
    static Map<String, String> swap(Map<String, String> variables) {
        variables.put("FULL_REFRESH", "swap");
        return variables;
    }

    Map<String, String> variables() {
        return swap(replica.variables(source.toString()));
    }

    /** The schemas of the swap still on the target (new copies not switched in, previous copies not dropped). */
    static List<String> swapSchemas(DatabaseUrl target) {
        return Db.column(target, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'replication\\_new\\_%'"
                + " OR nspname LIKE 'replication\\_old\\_%' ORDER BY 1");
    }

    static String answer(DatabaseUrl db, String query) {
        return String.join("|", Db.rows(db, query).get(0));
    }

    @Test
    void readersSeeTheWholePreviousCopyOrTheWholeNewOneNeverAnErrorNorALongWait() throws Exception {
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        // an analyst's view over the copy, read too: created again in the switch transaction, never missing
        Db.execute(replica.admin, "CREATE SCHEMA analysts; GRANT USAGE, CREATE ON SCHEMA analysts TO " + ReplicaTarget.ROLE);
        Db.execute(replica.url, "CREATE VIEW analysts.t_totals AS SELECT count(*) AS n, sum(x) AS total FROM public.t");
        List<String> queries = List.of(TABLE_QUERY, JOIN_QUERY, ANALYST_VIEW_QUERY);
        Map<String, String> previous = new HashMap<>();
        queries.forEach(q -> previous.put(q, answer(replica.url, q)));
        Db.execute(source, SOURCE_CHANGES);
        Map<String, String> next = Map.of(TABLE_QUERY, answer(source, TABLE_QUERY), JOIN_QUERY, answer(source, JOIN_QUERY),
                ANALYST_VIEW_QUERY, answer(source, TABLE_QUERY));
        assertThat(previous.get(ANALYST_VIEW_QUERY)).isEqualTo(previous.get(TABLE_QUERY));
        assertThat(next).doesNotContainValue(previous.get(TABLE_QUERY)).doesNotContainValue(previous.get(JOIN_QUERY));

        CliRunner.Result result;
        Readers readers = new Readers(replica.url, queries);
        try (readers) {
            WaitFor.until("every reader answered once", Duration.ofSeconds(30), () -> answeredAfter(readers, queries, 0));
            Map<String, String> variables = variables();
            // a switch that cannot get its locks fails within this, instead of the default 10 minutes
            variables.put("TARGET_LOCK_TIMEOUT", "30");
            result = ReplicaTarget.runFull(variables);
            long ended = System.nanoTime();
            WaitFor.until("every reader answered after the step", Duration.ofSeconds(30),
                    () -> answeredAfter(readers, queries, ended));
        }

        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String query : queries) {
            List<Readers.Answer> answers = readers.answers(query);
            assertThat(answers).as(query).filteredOn(a -> a.error() != null).extracting(Readers.Answer::error).isEmpty();
            // the previous copy until the switch, the new one from then on: never an empty table, a mix, or back
            assertThat(answers.stream().map(Readers.Answer::answer).distinct()).as(query + ", " + answers.size() + " answers")
                    .containsExactly(previous.get(query), next.get(query));
            assertThat(answers.stream().map(Readers.Answer::took).max(Duration::compareTo).orElseThrow()).as(query)
                    .isLessThan(Duration.ofSeconds(2));
        }
        assertThat(Db.column(replica.url, "SELECT DISTINCT note FROM public.t WHERE id > 20000")).containsExactly("added");
        assertThat(swapSchemas(replica.url)).isEmpty();
    }

    static final String ANALYST_VIEW_QUERY = "SELECT n, total FROM analysts.t_totals";

    private static boolean answeredAfter(Readers readers, List<String> queries, long nanos) {
        return queries.stream().allMatch(q -> readers.answers(q).stream().anyMatch(a -> a.finishedAtNanos() > nanos));
    }

    @Test
    void theSwitchIsLoggedWithItsDurationAndTriesAndJournaled() {
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        Db.execute(source, SOURCE_CHANGES);
        CliRunner.Result result;
        List<String> logged;
        try (LogCapture log = new LogCapture(CopySwitch.class)) {
            result = ReplicaTarget.runFull(variables());
            logged = log.messages();
        }

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(logged).filteredOn(m -> m.startsWith("new copy switched in: ")).singleElement().asString()
                .matches("new copy switched in: [1-9]\\d* objects of the previous copy moved out, [1-9]\\d* moved in,"
                        + " in \\d+ ms \\(1 tries\\)");
        assertThat(Db.rows(replica.url, "SELECT name, ended_at >= started_at FROM replication.restore_items"
                + " WHERE category = 'SWITCH' ORDER BY run_id")).containsExactly(List.of("public (1 tries)", "t"),
                List.of("public (1 tries)", "t"));
        assertThat(swapSchemas(replica.url)).as("the previous copy, dropped").isEmpty();
    }

    @Test
    void aSourceTableTheSourceRoleCannotReadFailsTheStepNamingItAndLeavesTheLiveCopyAsItWas() {
        Db.execute(source, "CREATE TABLE public.salaries (id integer PRIMARY KEY, amount integer);"
                + " INSERT INTO public.salaries VALUES (1, 100)");
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        Map<String, String> before = Db.state(replica.url);
        String role = "swap_partial_reader";
        String password = "partial-Reader-3";
        TestPostgres.createRole(role, password);
        Db.execute(source, "GRANT USAGE ON SCHEMA public TO " + role + "; GRANT SELECT ON public.t, public.u TO " + role);
        Db.execute(source, SOURCE_CHANGES);

        CliRunner.Result result = ReplicaTarget.runFull(swap(replica.variables(ReplicaTarget.urlAs(source, role, password))));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("permission denied for table salaries").doesNotContain(password);
        assertThat(Db.scalar(replica.url, "SELECT error FROM replication.runs ORDER BY id DESC LIMIT 1"))
                .contains("permission denied for table salaries");
        assertThat(Db.state(replica.url)).isEqualTo(before);
        assertThat(swapSchemas(replica.url)).isEmpty();
    }

    @Test
    void keptTablesNeverMoveAndTheViewsOverThemReadThemAfterTheSwitch() {
        Db.execute(source, """
                CREATE TYPE public.event_kind AS ENUM ('web', 'app');
                CREATE TABLE public.kept_events (id serial PRIMARY KEY, label text NOT NULL,
                                                 kind public.event_kind NOT NULL DEFAULT 'web');
                CREATE TABLE public.kept_logs (id serial PRIMARY KEY, line text NOT NULL);
                CREATE TABLE public.orders (id integer PRIMARY KEY, event_id integer REFERENCES public.kept_events,
                                            amount integer, kind public.event_kind NOT NULL DEFAULT 'app');
                CREATE VIEW public.event_labels AS SELECT id, label FROM public.kept_events;
                CREATE VIEW public.orders_by_event AS SELECT e.label, count(o.id) AS orders
                    FROM public.kept_events e LEFT JOIN public.orders o ON o.event_id = e.id GROUP BY e.label;
                CREATE VIEW public.log_count AS SELECT count(*) AS n FROM public.kept_logs;
                INSERT INTO public.kept_events (label) VALUES ('signup'), ('purchase');
                INSERT INTO public.kept_logs (line) VALUES ('started');
                INSERT INTO public.orders SELECT g, 1 + g % 2, g FROM generate_series(1, 100) g;
                """);
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        // from now on the kept tables are the incremental step's (or nobody's): rows of the target's own
        Db.execute(replica.url, "INSERT INTO public.kept_events (label) VALUES ('target only');"
                + " INSERT INTO public.kept_logs (line) VALUES ('target log 1'), ('target log 2')");
        // the kept tables and what they need: keys, sequences, the enum they share with a copied table
        String keptObjects = """
                SELECT c.relname, c.oid::text FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relname LIKE 'kept\\_%'
                UNION ALL SELECT t.typname, t.oid::text FROM pg_type t
                WHERE t.typnamespace = 'public'::regnamespace AND t.typname = 'event_kind' ORDER BY 1""";
        List<List<String>> keptBefore = Db.rows(replica.url, keptObjects);
        assertThat(keptBefore).extracting(r -> r.get(0)).containsExactly("event_kind", "kept_events", "kept_events_id_seq",
                "kept_events_pkey", "kept_logs", "kept_logs_id_seq", "kept_logs_pkey");
        Map<String, String> keptRows = Map.of("kept_events", rowsOf("kept_events"), "kept_logs", rowsOf("kept_logs"));
        Map<String, String> variables = variables();
        variables.put("BACKUP_MODE", "{\"kept_events\": \"incremental\", \"kept_logs\": \"none\"}");

        for (int night = 1; night <= 2; night++) {
            Db.execute(source, "INSERT INTO public.orders SELECT g, 2, g FROM generate_series(%d, %d) g;".formatted(night * 1000, night * 1000 + 9)
                    + " INSERT INTO public.kept_events (label) VALUES ('source only'); INSERT INTO public.kept_logs (line) VALUES ('source log')");

            CliRunner.Result result = ReplicaTarget.runFull(variables);

            assertThat(result.exitCode()).as("night %d: %s", night, result.err()).isZero();
            assertThat(Db.rows(replica.url, keptObjects)).as("night %d: the kept tables, their keys and sequences, OIDs included", night)
                    .isEqualTo(keptBefore);
            assertThat(Map.of("kept_events", rowsOf("kept_events"), "kept_logs", rowsOf("kept_logs"))).isEqualTo(keptRows);
            assertThat(Db.column(replica.url, "SELECT label FROM public.event_labels ORDER BY id"))
                    .containsExactly("signup", "purchase", "target only");
            assertThat(Db.rows(replica.url, "SELECT label, orders FROM public.orders_by_event ORDER BY label"))
                    .containsExactly(List.of("purchase", String.valueOf(50 + night * 10)), List.of("signup", "50"),
                            List.of("target only", "0"));
            assertThat(Db.scalar(replica.url, "SELECT n FROM public.log_count")).isEqualTo("3");
            assertThat(Db.rows(replica.url, "SELECT kind::text, count(*) FROM public.orders GROUP BY kind"))
                    .containsExactly(List.of("app", String.valueOf(100 + night * 10)));
            // a foreign key towards a kept table is never created: the kept rows are not from the snapshot
            assertThat(Db.count(replica.url, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"
                    + " AND confrelid = 'public.kept_events'::regclass")).isZero();
            assertThat(swapSchemas(replica.url)).isEmpty();
        }
    }

    private String rowsOf(String table) {
        return Db.scalar(replica.url, "SELECT string_agg(t::text, ',' ORDER BY t::text) FROM public." + table + " t");
    }

    @Test
    void theDefaultPrivilegesOfTheLiveSchemaAreGivenToTheNewCopysTablesAndSequences() {
        assertThat(ReplicaTarget.runFull(variables()).exitCode()).isZero();
        String reader = "swap_default_reader";
        TestPostgres.createRole(reader, "default-Reader-5");
        // the usual Metabase set-up: whatever the copy's owner creates in public, the reader may read
        Db.execute(replica.admin, "GRANT USAGE ON SCHEMA public TO " + reader + ";"
                + " ALTER DEFAULT PRIVILEGES FOR ROLE " + ReplicaTarget.ROLE + " IN SCHEMA public GRANT SELECT ON TABLES TO " + reader + ";"
                + " ALTER DEFAULT PRIVILEGES FOR ROLE " + ReplicaTarget.ROLE + " IN SCHEMA public GRANT USAGE ON SEQUENCES TO " + reader);
        Db.execute(source, "CREATE TABLE public.added (id serial PRIMARY KEY, v text); INSERT INTO public.added (v) VALUES ('new')");

        CliRunner.Result result = ReplicaTarget.runFull(variables());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.rows(replica.admin, """
                SELECT has_table_privilege('%1$s', 'public.added', 'SELECT'), has_table_privilege('%1$s', 'public.t', 'SELECT'),
                       has_sequence_privilege('%1$s', 'public.added_id_seq', 'USAGE'),
                       has_table_privilege('%1$s', 'public.t', 'INSERT')""".formatted(reader)))
                .containsExactly(List.of("t", "t", "t", "f"));
    }
}
