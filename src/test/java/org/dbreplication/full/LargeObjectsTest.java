package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large objects (shared case 05): their contents are copied, and every night replaces them — from the live source
 * and from an archive — on a target owned by an ordinary user.
 */
class LargeObjectsTest {

    static final String CONTENTS = "SELECT string_agg(id || ':' || md5(lo_get(content)), ',' ORDER BY id) FROM public.attachments";

    DatabaseUrl source;
    ReplicaTarget target;
    @TempDir
    Path archives;

    @BeforeEach
    void create() {
        source = TestPostgres.createDatabase("large_objects_source", null);
        Db.execute(source, """
                CREATE TABLE public.attachments (id integer PRIMARY KEY, file_name text NOT NULL, content oid NOT NULL);
                INSERT INTO public.attachments
                SELECT g, 'file' || g || '.txt', lo_from_bytea(0, convert_to(repeat('line ' || g || E'\\n', 100 * g), 'UTF8'))
                FROM generate_series(1, 5) g;
                """);
        target = ReplicaTarget.create("large_objects_target");
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        target.close();
    }

    @Test
    void fromTheLiveSourceTheContentsAreCopiedAndReplacedEveryNight() {
        nights(target.variables(source.toString()));
    }

    @Test
    void fromAnArchiveTheContentsAreCopiedAndReplacedEveryNight() throws Exception {
        nights(target.archiveVariables(ReplicaTarget.archiveOf(source, archives.resolve("backup.pgsql"))));
    }

    private void nights(Map<String, String> variables) {
        String expected = Db.scalar(source, CONTENTS);
        for (int night = 1; night <= 2; night++) {
            CliRunner.Result result = ReplicaTarget.runFull(variables);

            assertThat(result.exitCode()).as("night " + night + ": " + result.err()).isZero();
            assertThat(Db.scalar(target.url, CONTENTS)).as("night " + night).isEqualTo(expected);
            assertThat(Db.count(target.url, "SELECT count(*) FROM pg_largeobject_metadata")).as("night " + night).isEqualTo(5);
        }
    }
}
