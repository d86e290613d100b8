package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every row of the source arrives, or the step fails naming the table: row-level security, inheritance children,
 * partitions, ctid ranges of split tables, a table truncated after the snapshot; in the full and incremental steps.
 */
class EveryRowTest {

    static final String OWNER = "small_app_owner";
    static final String OWNER_PASSWORD = "App-Owner-Pw-5";

    /** Row-level security enabled and forced on its owner, as a multi-tenant application sets it. */
    static final String FORCED_RLS = """
            CREATE TABLE public.tenant_notes (id integer PRIMARY KEY, tenant text NOT NULL, body text NOT NULL);
            INSERT INTO public.tenant_notes SELECT g, CASE WHEN g % 2 = 0 THEN 'acme' ELSE 'globex' END, 'note ' || g
                FROM generate_series(1, 40) g;
            ALTER TABLE public.tenant_notes OWNER TO small_app_owner;
            ALTER TABLE public.tenant_notes ENABLE ROW LEVEL SECURITY;
            ALTER TABLE public.tenant_notes FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON public.tenant_notes USING (tenant = current_setting('app.tenant', true));
            """;

    DatabaseUrl source;
    ReplicaTarget target;

    @BeforeEach
    void create() {
        TestPostgres.createRole(OWNER, OWNER_PASSWORD);
        source = TestPostgres.createDatabase("rows_source", null);
        target = ReplicaTarget.create("rows_target");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        target.close();
    }

    static String contents(DatabaseUrl db, String table) {
        return Db.scalar(db, "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                + " FROM ONLY public." + table + " t");
    }

    @Test
    void aTableUnderForcedRowLevelSecurityReadByItsOwnerFailsNamingItBeforeTheTargetIsTouched() {
        Db.execute(source, FORCED_RLS);

        CliRunner.Result result = ReplicaTarget.runFull(target.variables(ReplicaTarget.urlAs(source, OWNER, OWNER_PASSWORD)));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("source table public.tenant_notes: the role of SOURCE_DATABASE_URL is subject to"
                + " row-level security").contains("the target was not touched").doesNotContain(OWNER_PASSWORD);
        assertThat(Db.count(target.url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
    }

    @Test
    void aRoleThatBypassesRowLevelSecurityCopiesEveryRowOfEveryKindOfTableAndThePoliciesOverTwoNights() {
        Db.execute(source, FORCED_RLS + """
                -- big enough to be copied in ctid ranges (FULL_COPY_SPLIT_MB=1), under the same policy
                CREATE TABLE public.tenant_events (id integer PRIMARY KEY, tenant text NOT NULL, body text NOT NULL);
                INSERT INTO public.tenant_events SELECT g, CASE WHEN g % 3 = 0 THEN 'acme' ELSE 'globex' END,
                    repeat(md5(g::text), 3) FROM generate_series(1, 30000) g;
                -- holes and moved rows in the middle of the file
                DELETE FROM public.tenant_events WHERE id % 7 = 0;
                UPDATE public.tenant_events SET body = 'moved' WHERE id % 11 = 0;
                ALTER TABLE public.tenant_events OWNER TO small_app_owner;
                ALTER TABLE public.tenant_events ENABLE ROW LEVEL SECURITY;
                ALTER TABLE public.tenant_events FORCE ROW LEVEL SECURITY;
                CREATE POLICY tenant_isolation ON public.tenant_events USING (tenant = current_setting('app.tenant', true));
                -- inheritance: the parent's own rows and its child's are copied each on their own
                CREATE TABLE public.notes_base (id integer, body text);
                CREATE TABLE public.notes_2025 (year integer DEFAULT 2025) INHERITS (public.notes_base);
                INSERT INTO public.notes_base SELECT g, 'base ' || g FROM generate_series(1, 5) g;
                INSERT INTO public.notes_2025 (id, body) SELECT g, 'child ' || g FROM generate_series(6, 12) g;
                -- partitions, a default one included
                CREATE TABLE public.ledger (id bigint NOT NULL, booked_on date NOT NULL, amount numeric(12, 2))
                    PARTITION BY RANGE (booked_on);
                CREATE TABLE public.ledger_2025 PARTITION OF public.ledger FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE public.ledger_other PARTITION OF public.ledger DEFAULT;
                INSERT INTO public.ledger SELECT g, DATE '2025-06-01' + (g % 400), g * 0.5 FROM generate_series(1, 2000) g;
                """);
        Map<String, String> variables = target.variables(source.toString());
        variables.put("FULL_COPY_SPLIT_MB", "1");

        for (int night = 1; night <= 2; night++) {
            CliRunner.Result result = ReplicaTarget.runFull(variables);

            assertThat(result.exitCode()).as("night %d: %s", night, result.err()).isZero();
            for (String table : List.of("tenant_notes", "tenant_events", "notes_base", "notes_2025", "ledger_2025", "ledger_other")) {
                assertThat(contents(target.admin, table)).as("night %d: %s", night, table).isEqualTo(contents(source, table));
            }
            assertThat(Db.count(target.admin, "SELECT count(*) FROM public.tenant_notes")).isEqualTo(40);
            assertThat(Db.count(target.admin, "SELECT count(*) FROM public.notes_base")).isEqualTo(12);
            assertThat(Db.count(target.admin, "SELECT count(*) FROM public.ledger")).isEqualTo(2000);
            assertThat(Db.rows(target.admin, "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
                    + " WHERE relname LIKE 'tenant_%' AND relkind = 'r' ORDER BY 1"))
                    .containsExactly(List.of("tenant_events", "t", "t"), List.of("tenant_notes", "t", "t"));
            assertThat(Db.column(target.admin, "SELECT tablename || ' ' || policyname || ' ' || qual FROM pg_policies ORDER BY 1"))
                    .containsExactly("tenant_events tenant_isolation (tenant = current_setting('app.tenant'::text, true))",
                            "tenant_notes tenant_isolation (tenant = current_setting('app.tenant'::text, true))");
        }
        // the split table was copied in several parts
        assertThat(Db.count(target.url, "SELECT count(*) FROM replication.restore_items WHERE category = 'TABLE DATA'"
                + " AND name LIKE 'tenant_events [part %'")).isGreaterThan(2);
    }

    @Test
    void aTableTruncatedAfterTheSnapshotFailsNamingItAndOnceLockedCannotBeTruncated() throws Exception {
        Db.execute(source, "CREATE TABLE public.events (id integer PRIMARY KEY); INSERT INTO public.events SELECT generate_series(1, 100)");
        List<SourceCatalog.SourceTable> tables = List.of(new SourceCatalog.SourceTable(
                Long.parseLong(Db.scalar(source, "SELECT 'public.events'::regclass::oid::text")),
                new TableRef("public", "events"), 0, 0, List.of("id"), true, -1));

        try (SourceSnapshot snapshot = SourceSnapshot.open(source, "tests", null)) {
            // TRUNCATE is not MVCC-safe: this snapshot would now read an empty table
            Db.execute(source, "TRUNCATE public.events");
            assertThatThrownBy(() -> SourceTableChecks.beforeCopy(snapshot.connection(), tables))
                    .hasMessageStartingWith("source table public.events truncated or rewritten");
        }
        Db.execute(source, "INSERT INTO public.events SELECT generate_series(1, 100)");
        try (SourceSnapshot snapshot = SourceSnapshot.open(source, "tests", null);
             Connection other = Connections.open(source, "tests"); Statement st = other.createStatement()) {
            SourceTableChecks.beforeCopy(snapshot.connection(), tables);
            st.execute("SET lock_timeout = '200ms'");
            assertThatThrownBy(() -> st.execute("TRUNCATE public.events")).hasMessageContaining("lock timeout");
        }
        assertThat(Db.count(source, "SELECT count(*) FROM public.events")).isEqualTo(100);
    }

    Map<String, String> incrementalVariables(String sourceUrl, String backupMode) {
        return Map.of("SOURCE_DATABASE_URL", sourceUrl, "DATABASE_URL", target.admin.toString(),
                "TARGET_DATABASE_URL", target.admin.toString(), "BACKUP_MODE", backupMode);
    }

    @Test
    void theIncrementalStepFailsATableUnderRowLevelSecurityRatherThanCopyPartOfIt() {
        Db.execute(source, FORCED_RLS);
        Db.execute(target.admin, "CREATE TABLE public.tenant_notes (id integer PRIMARY KEY, tenant text NOT NULL, body text NOT NULL);"
                + " INSERT INTO public.tenant_notes SELECT g, 'acme', 'note ' || g FROM generate_series(1, 10) g");

        CliRunner.Result result = CliRunner.run(incrementalVariables(ReplicaTarget.urlAs(source, OWNER, OWNER_PASSWORD),
                "{\"tenant_notes\": \"incremental\"}"), "run", "--only", "incremental");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("tenant_notes").contains("ERROR: query would be affected by row-level security"
                + " policy for table \"tenant_notes\" — the role of SOURCE_DATABASE_URL is subject to row-level security");
        assertThat(Db.count(target.admin, "SELECT count(*) FROM public.tenant_notes")).isEqualTo(10);
    }

    @Test
    void theIncrementalStepFailsAPartitionedTableWhoseRowsItWouldNeverRead() {
        String ledger = "CREATE TABLE public.ledger (id bigint NOT NULL, booked_on date NOT NULL) PARTITION BY RANGE (booked_on);"
                + " CREATE TABLE public.ledger_2025 PARTITION OF public.ledger FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');";
        Db.execute(source, ledger + " INSERT INTO public.ledger SELECT g, DATE '2025-01-01' + g % 300 FROM generate_series(1, 500) g");
        Db.execute(target.admin, ledger + " INSERT INTO public.ledger SELECT g, DATE '2025-01-01' + g % 300 FROM generate_series(1, 10) g");

        CliRunner.Result result = CliRunner.run(incrementalVariables(source.toString(), "{\"ledger\": {\"mode\": \"incremental\","
                + " \"key\": \"id\"}}"), "run", "--only", "incremental");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("ledger is a partitioned table in the source: its rows are in its partitions");
        assertThat(Db.count(target.admin, "SELECT count(*) FROM public.ledger")).isEqualTo(10);
    }
}
