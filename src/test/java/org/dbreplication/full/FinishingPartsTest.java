package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure late in the full step does not leave the copy half-finished: the sequence values are set before the
 * finishing parts, each finishing part runs even when one before it failed, and the step fails with every error.
 */
class FinishingPartsTest {

    DatabaseUrl source;
    ReplicaTarget target;
    @TempDir
    Path enrichment;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("finish_source", null);
        target = ReplicaTarget.create("finish_target");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        target.close();
    }

    @Test
    void aFailingPostDataItemAndAFailingEnrichmentLeaveEverythingElseDoneAndAreBothReported() throws Exception {
        Db.execute(source, """
                CREATE TABLE public.users (id serial PRIMARY KEY, name text NOT NULL, "createdAt" timestamptz NOT NULL DEFAULT now());
                CREATE TABLE public."organization-learners" (id serial PRIMARY KEY, "userId" integer REFERENCES public.users, name text);
                INSERT INTO public.users (name) SELECT 'user ' || g FROM generate_series(1, 100) g;
                INSERT INTO public."organization-learners" ("userId", name) SELECT g, 'learner ' || g FROM generate_series(1, 50) g;
                SELECT setval('public.users_id_seq', 777);
                """);
        // a materialized view that needs a setting of the source database: its data cannot be computed on the copy
        // (an object other than a table: left out with a warning)
        Db.execute(source, "ALTER DATABASE " + Sql.ident(source.database()) + " SET app.region = 'eu'");
        Db.execute(source, "CREATE MATERIALIZED VIEW public.region_users AS"
                + " SELECT current_setting('app.region') AS region, count(*) AS n FROM public.users");
        // a policy of a copied table over a function the target's user may not create: a table's part, it fails
        Db.execute(source, "CREATE FUNCTION public.text_length(text) RETURNS integer LANGUAGE internal IMMUTABLE STRICT"
                + " AS 'textlen'; CREATE POLICY users_short ON public.users USING (public.text_length(name) < 100)");
        // an enrichment index on a column that does not exist
        Files.writeString(enrichment.resolve("zz-broken.sql"), "-- table: users\nCREATE INDEX users_nothing_idx ON public.users (nothing)\n");
        Map<String, String> variables = target.variables(source.toString());
        variables.put("ENRICHMENT_DIR", enrichment.toString());
        // in place: the copy is live as it is built (with FULL_REFRESH=swap, a failure leaves the previous copy live)
        variables.put("FULL_REFRESH", "in-place");

        CliRunner.Result result = ReplicaTarget.runFull(variables);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("2 finishing parts failed: post-data items: POLICY public.users users_short")
                .contains("POLICY public.users users_short: ERROR:  function public.text_length(text) does not exist")
                .contains("; enrichment: enrichment zz-broken.sql failed: ERROR: column \"nothing\" does not exist");
        // what did not fail is all there: rows, sequence values, foreign keys, compatibility view, other indexes
        assertThat(Db.count(target.url, "SELECT count(*) FROM public.users")).isEqualTo(100);
        assertThat(Db.scalar(target.url, "INSERT INTO public.users (name) VALUES ('new') RETURNING id")).isEqualTo("778");
        assertThat(Db.column(target.url, "SELECT conname || ' ' || convalidated FROM pg_constraint WHERE contype = 'f'"
                + " AND connamespace = 'public'::regnamespace"))
                .containsExactly("organization-learners_userId_fkey false");
        assertThat(Db.count(target.url, "SELECT count(*) FROM public.\"schooling-registrations\"")).isEqualTo(50);
        assertThat(Db.column(target.url, "SELECT indexname FROM pg_indexes WHERE tablename = 'users' ORDER BY 1"))
                .containsExactly("users_createdAt_idx", "users_pkey");
        assertThat(Db.scalar(target.url, "SELECT relispopulated FROM pg_class WHERE relname = 'region_users'")).isEqualTo("f");
        assertThat(Db.column(target.url, "SELECT object || ' ' || error FROM replication.step_warnings ORDER BY object"))
                .containsExactly("FUNCTION public.text_length(text) ERROR:  permission denied for language internal",
                        "MATERIALIZED VIEW DATA public.region_users ERROR:  unrecognized configuration parameter \"app.region\"");
        // and the failure is recorded as such
        assertThat(Db.column(target.url, "SELECT status FROM replication.runs")).containsExactly("failed");
        assertThat(Db.scalar(target.url, "SELECT status || ': ' || error FROM replication.step_attempts"))
                .startsWith("failed: the copy's rows and sequence values are in, but 2 finishing parts failed");
    }
}
