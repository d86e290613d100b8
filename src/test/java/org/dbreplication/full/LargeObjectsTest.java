package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PgTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large objects (shared case 05): their contents are copied, and every night replaces them — from the live source
 * and from an archive — on a target owned by an ordinary user.
 */
class LargeObjectsTest {

    static final String ROLE = "large_objects_owner";
    static final String PASSWORD = "large-Objects-5";
    static final String CONTENTS = "SELECT string_agg(id || ':' || md5(lo_get(content)), ',' ORDER BY id) FROM public.attachments";

    DatabaseUrl source;
    DatabaseUrl target;
    String targetUrl;
    @TempDir
    Path archives;

    @BeforeEach
    void create() {
        TestPostgres.createRole(ROLE, PASSWORD);
        source = TestPostgres.createDatabase("large_objects_source", null);
        Db.execute(source, """
                CREATE TABLE public.attachments (id integer PRIMARY KEY, file_name text NOT NULL, content oid NOT NULL);
                INSERT INTO public.attachments
                SELECT g, 'file' || g || '.txt', lo_from_bytea(0, convert_to(repeat('line ' || g || E'\\n', 100 * g), 'UTF8'))
                FROM generate_series(1, 5) g;
                """);
        target = TestPostgres.createDatabase("large_objects_target", ROLE).withUser(ROLE, PASSWORD);
        targetUrl = "postgres://" + ROLE + ":" + PASSWORD + "@" + target.host() + ":" + target.port() + "/" + target.database();
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(source);
        TestPostgres.dropDatabase(target);
    }

    @Test
    void fromTheLiveSourceTheContentsAreCopiedAndReplacedEveryNight() {
        Map<String, String> variables = new HashMap<>();
        variables.put("SOURCE_DATABASE_URL", source.toString());
        variables.put("DATABASE_URL", targetUrl);

        nights(variables);
    }

    @Test
    void fromAnArchiveTheContentsAreCopiedAndReplacedEveryNight() throws Exception {
        Path archive = archives.resolve("backup.pgsql");
        Process dump = new ProcessBuilder(PgTools.locate(java.util.Optional.empty()).pgDump(), "--format=custom",
                "--no-owner", "--file=" + archive, source.libpqConninfo(null, "tests", null)).redirectErrorStream(true).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor()).as(output).isZero();
        Map<String, String> variables = new HashMap<>();
        variables.put("DATABASE_URL", targetUrl);
        variables.put("BACKUP_SOURCE", "file");
        variables.put("BACKUP_FILE", archive.toString());

        nights(variables);
    }

    private void nights(Map<String, String> variables) {
        String expected = Db.scalar(source, CONTENTS);
        for (int night = 1; night <= 2; night++) {
            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

            assertThat(result.exitCode()).as("night " + night + ": " + result.err()).isZero();
            assertThat(Db.scalar(target, CONTENTS)).as("night " + night).isEqualTo(expected);
            assertThat(Db.count(target, "SELECT count(*) FROM pg_largeobject_metadata")).as("night " + night).isEqualTo(5);
        }
    }
}
