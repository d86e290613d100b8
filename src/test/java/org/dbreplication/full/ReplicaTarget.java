package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PgTools;

/**
 * A target database owned by an ordinary role (the full step needs no superuser on the target), the variables of a
 * full step into it, and a custom-format archive of a source for BACKUP_SOURCE=file.
 */
final class ReplicaTarget implements AutoCloseable {

    static final String ROLE = "ordinary_replica_owner";
    static final String PASSWORD = "ordinary-Replica-7";

    /** The target as its owner (what the tool uses). */
    final DatabaseUrl url;
    /** The same database as a superuser: reads every row, whatever the row-level security of the copy. */
    final DatabaseUrl admin;

    private ReplicaTarget(DatabaseUrl url, DatabaseUrl admin) {
        this.url = url;
        this.admin = admin;
    }

    static ReplicaTarget create(String prefix) {
        TestPostgres.createRole(ROLE, PASSWORD);
        DatabaseUrl admin = TestPostgres.createDatabase(prefix, ROLE);
        return new ReplicaTarget(admin.withUser(ROLE, PASSWORD), admin);
    }

    /** The full step from {@code sourceUrl} (as given, so that a test may read the source as another role). */
    Map<String, String> variables(String sourceUrl) {
        Map<String, String> variables = common();
        variables.put("SOURCE_DATABASE_URL", sourceUrl);
        return variables;
    }

    /** The full step from a custom-format archive (BACKUP_SOURCE=file). */
    Map<String, String> archiveVariables(Path archive) {
        Map<String, String> variables = common();
        variables.put("BACKUP_SOURCE", "file");
        variables.put("BACKUP_FILE", archive.toString());
        return variables;
    }

    private Map<String, String> common() {
        Map<String, String> variables = new HashMap<>();
        variables.put("DATABASE_URL", urlAs(url, ROLE, PASSWORD));
        variables.put("PG_RESTORE_JOBS", "2");
        // one attempt: a failure is the test's subject, not something to retry
        variables.put("MAX_RETRY_COUNT", "1");
        return variables;
    }

    /** The URL of {@code db} for another role, password included (DatabaseUrl.toString never shows one). */
    static String urlAs(DatabaseUrl db, String user, String password) {
        return "postgres://" + user + ":" + password + "@" + db.host() + ":" + db.port() + "/" + db.database();
    }

    static CliRunner.Result runFull(Map<String, String> variables) {
        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");
        assertThat(result.err()).doesNotContain(PASSWORD);
        return result;
    }

    /** pg_dump -Fc of {@code source} into {@code file}, as a nightly backup would be made. */
    static Path archiveOf(DatabaseUrl source, Path file) throws Exception {
        PgTools tools = PgTools.locate(java.util.Optional.empty());
        Process process = new ProcessBuilder(tools.pgDump(), "--format=custom", "--no-owner", "--file=" + file,
                source.libpqConninfo(null, "tests", null)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return file;
    }

    @Override
    public void close() {
        TestPostgres.dropDatabase(admin);
    }
}
