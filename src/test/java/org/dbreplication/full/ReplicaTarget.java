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

    /**
     * The full step from an archive of {@code source} made when the step runs ({@link #prepared}), as a nightly
     * backup is made just before the night: a test written for a source database runs unchanged from archives.
     */
    Map<String, String> archiveVariablesOf(DatabaseUrl source, Path directory) {
        Map<String, String> variables = archiveVariables(directory.resolve("nightly.pgsql"));
        variables.put(ARCHIVE_OF, source.toString());
        return variables;
    }

    /** Marks variables whose BACKUP_FILE is to be dumped from this source URL before each run (never passed on). */
    private static final String ARCHIVE_OF = "TEST_ARCHIVE_OF";

    /**
     * The variables to pass to the tool: as given, or, for {@link #archiveVariablesOf}, with BACKUP_FILE dumped afresh
     * from the source (pg_dump -Fc) and the test's marker removed.
     */
    static Map<String, String> prepared(Map<String, String> variables) {
        if (!variables.containsKey(ARCHIVE_OF)) {
            return variables;
        }
        Map<String, String> prepared = new HashMap<>(variables);
        DatabaseUrl source = DatabaseUrl.parse(ARCHIVE_OF, prepared.remove(ARCHIVE_OF));
        try {
            archiveOf(source, Path.of(prepared.get("BACKUP_FILE")));
        } catch (Exception e) {
            throw new IllegalStateException("pg_dump of " + source + " failed", e);
        }
        return prepared;
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
        return run(variables, "run", "--only", "full");
    }

    /** The tool's command {@code args} with {@link #prepared} variables; the password never in its output. */
    static CliRunner.Result run(Map<String, String> variables, String... args) {
        CliRunner.Result result = CliRunner.run(prepared(variables), args);
        assertThat(result.err()).doesNotContain(PASSWORD);
        return result;
    }

    /** pg_dump -Fc of {@code source} into {@code file}, as a nightly backup would be made. */
    static Path archiveOf(DatabaseUrl source, Path file) throws Exception {
        PgTools tools = PgTools.locate(java.util.Optional.empty());
        java.nio.file.Files.deleteIfExists(file);
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
