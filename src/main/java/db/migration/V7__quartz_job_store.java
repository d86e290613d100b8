package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The tables of Quartz's JDBC job store (qrtz_*), in the tool's schema: the scheduling processes share the schedule
 * through them, so that a night fires on one process only and another takes it over when that one dies. The script
 * is the one the Quartz jar on the classpath ships for PostgreSQL ({@code tables_postgres.sql}), read from the jar
 * rather than copied, so that the tables are always those of the Quartz version in use; its DROP statements are
 * skipped (the schema is the tool's, the tables are new).
 */
public class V7__quartz_job_store extends BaseJavaMigration {

    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            for (String statement : statements(script())) {
                st.execute(statement);
            }
        }
    }

    static String script() throws IOException {
        try (InputStream in = V7__quartz_job_store.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not in the Quartz jar on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script's statements without comments, DROPs and transaction control (Flyway runs it in its own). */
    static List<String> statements(String script) {
        String withoutComments = script.lines().filter(line -> !line.strip().startsWith("--"))
                .reduce("", (a, b) -> a + b + "\n");
        return Arrays.stream(withoutComments.split(";")).map(String::strip).filter(s -> !s.isEmpty())
                .filter(s -> !s.toUpperCase().startsWith("DROP ") && !s.equalsIgnoreCase("COMMIT")).toList();
    }
}
