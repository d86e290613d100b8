package org.dbreplication.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dbreplication.exec.ToolErrors.ScriptLine;
import org.dbreplication.exec.ToolErrors.ToolError;
import org.dbreplication.logging.Secrets;
import org.junit.jupiter.api.Test;

/** {@link ToolErrors} on the real stderr of pg_restore, psql and pg_dump (src/test/resources/tool-errors). */
class ToolErrorsTest {

    static List<String> stderr(String name) throws IOException {
        try (InputStream in = ToolErrorsTest.class.getResourceAsStream("/tool-errors/" + name + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aParallelRestoreGivesTheIndexItCouldNotBuildNotTheDeadWorker() throws IOException {
        ToolErrors parsed = ToolErrors.parse("pg_restore", stderr("restore-parallel-unique"));

        assertThat(parsed.errors()).singleElement().satisfies(error -> {
            assertThat(error.message()).isEqualTo("ERROR:  could not create unique index \"u_v_key\"");
            assertThat(error.details()).containsExactly("DETAIL:  Key (v)=(v1) is duplicated.",
                    "Command was: CREATE UNIQUE INDEX u_v_key ON public.u USING btree (v);");
            assertThat(error.item()).hasValueSatisfying(item -> {
                assertThat(item.dumpId()).isEqualTo(3207);
                assertThat(item.classOid()).isEqualTo(1259);
                assertThat(item.objectOid()).isEqualTo(20276);
                assertThat(item.description()).isEqualTo("INDEX");
                assertThat(item.name()).isEqualTo("u_v_key");
                assertThat(item.owner()).isEqualTo("postgres");
            });
            assertThat(error.script()).isEmpty();
        });
        assertThat(parsed.summary(1)).isEqualTo("pg_restore failed (exit code 1) restoring INDEX u_v_key:"
                + " ERROR:  could not create unique index \"u_v_key\"");
    }

    @Test
    void aForeignKeyItemKeepsItsTwoWordDescriptionAndItsTableInTheName() throws IOException {
        ToolErrors parsed = ToolErrors.parse("pg_restore", stderr("restore-parallel-fk"));

        assertThat(parsed.errors()).singleElement().satisfies(error -> {
            assertThat(error.item().orElseThrow().description()).isEqualTo("FK CONSTRAINT");
            assertThat(error.item().orElseThrow().name()).isEqualTo("child child_parent_id_fkey");
            assertThat(error.details()).containsExactly(
                    "DETAIL:  Key (parent_id)=(99) is not present in table \"parent\".",
                    "Command was: ALTER TABLE ONLY public.child",
                    "ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.parent(id);");
        });
        assertThat(parsed.summary(1)).isEqualTo("pg_restore failed (exit code 1) restoring FK CONSTRAINT child"
                + " child_parent_id_fkey: ERROR:  insert or update on table \"child\" violates foreign key constraint"
                + " \"child_parent_id_fkey\"");
    }

    @Test
    void aMaterializedViewRefreshKeepsTheQueryAndContextOfItsError() throws IOException {
        ToolError error = ToolErrors.parse("pg_restore", stderr("restore-matview")).errors().get(0);

        assertThat(error.item().orElseThrow().toString()).isEqualTo("MATERIALIZED VIEW DATA mv");
        assertThat(error.item().orElseThrow().classOid()).isZero();
        assertThat(error.message()).isEqualTo("ERROR:  relation \"t\" does not exist");
        assertThat(error.details()).containsExactly("LINE 1: SELECT count(*) FROM t", "QUERY:  SELECT count(*) FROM t",
                "CONTEXT:  SQL function \"code_count\" during inlining", "Command was: REFRESH MATERIALIZED VIEW public.mv;");
    }

    @Test
    void everyErrorIsListedWithItsOwnItemAndTheSummaryCountsTheOthers() throws IOException {
        ToolErrors parsed = ToolErrors.parse("pg_restore", stderr("restore-several-errors"));

        assertThat(parsed.errors()).extracting(e -> e.item().orElseThrow().dumpId() + " " + e.item().orElseThrow() + ": "
                + e.message()).containsExactly(
                "3201 CONSTRAINT parent parent_pkey: ERROR:  could not create unique index \"parent_pkey\"",
                "3204 FK CONSTRAINT child child_parent_id_fkey: ERROR:  there is no unique constraint matching given keys"
                        + " for referenced table \"parent\"");
        assertThat(parsed.summary(1)).startsWith("pg_restore failed (exit code 1) restoring CONSTRAINT parent parent_pkey:")
                .endsWith("\"parent_pkey\" (and 1 more error)");
        assertThat(parsed.lastLines()).last().isEqualTo("pg_restore: warning: errors ignored on restore: 2");
    }

    @Test
    void withoutAServerErrorTheSummaryIsTheToolsLastMeaningfulLines() throws IOException {
        ToolErrors parsed = ToolErrors.parse("pg_restore", stderr("restore-missing-file"));

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.summary(1)).isEqualTo("pg_restore failed (exit code 1): pg_restore: error: could not open input"
                + " file \"/tmp/fl-samples/missing.dump\": No such file or directory");
        assertThat(ToolErrors.parse("pg_restore", List.of("pg_restore: processing item 3 TABLE t")).summary(1))
                .isEqualTo("pg_restore failed (exit code 1): (no error message)");
    }

    @Test
    void psqlGivesTheScriptAndLineOfTheStatementThatFailed() throws IOException {
        ToolErrors badColumn = ToolErrors.parse("psql", stderr("psql-bad-column"));

        assertThat(badColumn.errors()).singleElement().satisfies(error -> {
            assertThat(error.script()).contains(new ScriptLine("/tmp/fl-samples/bad.sql", 3));
            assertThat(error.message()).isEqualTo("ERROR:  column \"idd\" does not exist");
            assertThat(error.details()).containsExactly("LINE 1: SELECT * FROM a WHERE idd = 1;",
                    "HINT:  Perhaps you meant to reference the column \"a.id\".");
            assertThat(error.item()).isEmpty();
        });
        assertThat(badColumn.summary(3)).isEqualTo("psql failed (exit code 3) at /tmp/fl-samples/bad.sql:3:"
                + " ERROR:  column \"idd\" does not exist");
        assertThat(ToolErrors.parse("psql", stderr("psql-missing-table")).summary(3)).isEqualTo(
                "psql failed (exit code 3) at /tmp/fl-samples/bad2.sql:2: ERROR:  relation \"nosuch\" does not exist");
        assertThat(ToolErrors.parse("psql", stderr("psql-lock-timeout")).summary(3)).isEqualTo(
                "psql failed (exit code 3) at /tmp/fl-samples/lock.sql:2: ERROR:  canceling statement due to lock timeout");
    }

    @Test
    void psqlWithACommandHasNoScriptLine() throws IOException {
        ToolError error = ToolErrors.parse("psql", stderr("psql-command")).errors().get(0);

        assertThat(error.script()).isEmpty();
        assertThat(error.message()).isEqualTo("ERROR:  function nosuch() does not exist");
        assertThat(error.details()).hasSize(2).first().isEqualTo("LINE 1: SELECT nosuch()");
    }

    @Test
    void pgDumpNamesTheSequenceItCannotReadAndTheConnectionItCannotOpen() throws IOException {
        ToolErrors permission = ToolErrors.parse("pg_dump", stderr("dump-sequence-permission"));

        assertThat(permission.errors()).singleElement().satisfies(error -> {
            assertThat(error.message()).isEqualTo("ERROR:  permission denied for sequence orders_id_seq");
            assertThat(error.details()).containsExactly(
                    "pg_dump: detail: Query was: SELECT last_value, is_called FROM public.orders_id_seq");
        });
        assertThat(permission.summary(1)).isEqualTo("pg_dump failed (exit code 1): ERROR:  permission denied for"
                + " sequence orders_id_seq");
        assertThat(ToolErrors.parse("pg_dump", stderr("dump-no-role")).summary(1)).isEqualTo("pg_dump failed (exit code 1):"
                + " connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  role \"nosuchrole\" does not exist");
    }

    @Test
    void anErrorQuotedInTheFailedCommandIsNotAnotherError() {
        ToolErrors parsed = ToolErrors.parse("pg_restore", List.of(
                "pg_restore: from TOC entry 12; 1255 16390 FUNCTION public f() owner",
                "pg_restore: error: could not execute query: ERROR:  syntax error at or near \"x\"",
                "Command was: CREATE FUNCTION public.f() RETURNS void AS $$ BEGIN RAISE 'ERROR:  x'; END $$;"));

        assertThat(parsed.errors()).singleElement().satisfies(error -> {
            assertThat(error.details()).hasSize(1);
            assertThat(error.item().orElseThrow().name()).isEqualTo("public f()");
        });
    }

    @Test
    void passwordsNeverAppear() {
        Secrets.register("s3cret-pass");
        ToolErrors parsed = ToolErrors.parse("psql", List.of(
                "psql: error: connection to server at \"db\" (10.0.0.1), port 5432 failed: FATAL:  password authentication"
                        + " failed for user \"app\" (postgres://app:s3cret-pass@db/x)"));

        assertThat(parsed.summary(2)).contains("password authentication failed for user \"app\"")
                .doesNotContain("s3cret-pass");
        assertThat(parsed.errors().get(0).message()).doesNotContain("s3cret-pass");
    }
}
