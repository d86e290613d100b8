package org.dbreplication.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.SeparateProcess;
import org.dbreplication.TestPostgres;
import org.dbreplication.WaitFor;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table of 2M new rows in 1,000-row chunks (2,000 chunks), the incremental step killed with SIGKILL three times at
 * random chunks, then run to the end: the copy is exact, and no committed chunk was ever copied again — a counter
 * that the target's own trigger keeps, committed with each chunk, ends at exactly the rows the source had to give.
 * Only the chunks in flight at a kill were redone (their transactions never committed).
 */
class RepeatedKillsTest {

    static final int ROWS = 2_000_000;
    static final int ALREADY_THERE = 100;

    DatabaseUrl source;
    DatabaseUrl target;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("kills_source", null);
        target = TestPostgres.createDatabase("kills_target", null);
        String table = "CREATE TABLE public.answers (id bigint PRIMARY KEY, value text NOT NULL);";
        Db.execute(source, table + "INSERT INTO public.answers SELECT g, 'answer ' || g FROM generate_series(1, " + ROWS + ") g;");
        Db.execute(target, table + "INSERT INTO public.answers SELECT g, 'answer ' || g FROM generate_series(1, " + ALREADY_THERE + ") g;"
                + """
                CREATE TABLE public.rows_received (n bigint NOT NULL);
                INSERT INTO public.rows_received VALUES (0);
                CREATE FUNCTION public.count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE public.rows_received SET n = n + (SELECT count(*) FROM received); RETURN NULL; END $$;
                CREATE TRIGGER count_rows AFTER INSERT ON public.answers REFERENCING NEW TABLE AS received
                    FOR EACH STATEMENT EXECUTE FUNCTION public.count_rows();
                """);
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    long committedRows() {
        return Db.count(target, "SELECT n FROM public.rows_received");
    }

    @Test
    void killedThreeTimesAtRandomChunksTheCopyEndsExactAndNoCommittedChunkIsCopiedTwice() throws Exception {
        Map<String, String> variables = Map.of("SOURCE_DATABASE_URL", source.toString(), "DATABASE_URL", target.toString(),
                "BACKUP_MODE", "{\"answers\": \"incremental\"}", "INCREMENTAL_CHUNK_ROWS", "1000", "INCREMENTAL_JOBS", "2");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Long> atKill = new ArrayList<>();
        for (int kill = 1; kill <= 3; kill++) {
            long before = committedRows();
            // somewhere in the next 1 to 10 % of the table
            long killAt = before + ROWS / 100 + random.nextInt(ROWS / 10);
            Process process = SeparateProcess.start(variables, "run", "--only", "incremental");
            try {
                WaitFor.until("kill " + kill + " (seed " + seed + "): " + killAt + " rows committed", Duration.ofSeconds(180), () -> {
                    assertThat(process.isAlive()).as("the step is still copying (seed %d)", seed).isTrue();
                    return committedRows() >= killAt;
                });
            } finally {
                process.destroyForcibly();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            atKill.add(committedRows());
        }
        System.out.printf("rows committed at each kill (seed %d): %s of %d%n", seed, atKill, ROWS - ALREADY_THERE);
        assertThat(atKill).as("progress kept across kills (seed %d)", seed).isSorted().doesNotHaveDuplicates();

        CliRunner.Result last = CliRunner.run(variables, "run", "--only", "incremental");

        assertThat(last.exitCode()).as(last.err()).isZero();
        assertThat(Db.rows(target, "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM public.answers"))
                .containsExactly(List.of(Long.toString(ROWS), Long.toString(ROWS), "1", Long.toString(ROWS)));
        assertThat(Db.scalar(target, "SELECT md5(string_agg(value, ',' ORDER BY id)) FROM public.answers"))
                .isEqualTo(Db.scalar(source, "SELECT md5(string_agg(value, ',' ORDER BY id)) FROM public.answers"));
        assertThat(committedRows()).as("rows committed on the target over the 4 runs: each exactly once (seed %d)", seed)
                .isEqualTo(ROWS - ALREADY_THERE);
        assertThat(Db.column(target, "SELECT status FROM replication.runs ORDER BY id"))
                .containsExactly("interrupted", "interrupted", "interrupted", "succeeded");
    }
}
