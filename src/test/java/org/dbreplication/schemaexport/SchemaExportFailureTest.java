package org.dbreplication.schemaexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A psql script that fails names its line and the server's ERROR: line, not psql's "LINE 1:" excerpt. */
class SchemaExportFailureTest {

    static final String ROLE = "catalog_writer";
    static final String PASSWORD = "catalog-Writer-7";
    DatabaseUrl target;
    DatabaseUrl catalog;

    @BeforeEach
    void create() {
        TestPostgres.createRole(ROLE, PASSWORD);
        target = TestPostgres.createDatabase("export_target", null);
        Db.execute(target, "CREATE TABLE public.users (id integer PRIMARY KEY)");
        // the catalog database belongs to the administrator: its public schema is not writable by others (PostgreSQL 15)
        catalog = TestPostgres.createDatabase("export_catalog", null);
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(target);
        TestPostgres.dropDatabase(catalog);
    }

    @Test
    void theExportThatCannotCreateItsTableGivesPsqlsScriptLineAndTheServersError() {
        Map<String, String> variables = new HashMap<>();
        variables.put("DATABASE_URL", target.toString());
        variables.put("DB_SCHEMA_EXPORTER_ENABLED", "true");
        variables.put("DB_SCHEMA_EXPORTER_DATABASE_TARGET", "postgres://" + ROLE + ":" + PASSWORD + "@" + catalog.host() + ":"
                + catalog.port() + "/" + catalog.database());

        CliRunner.Result result = CliRunner.run(variables, "export-schema");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).containsPattern("psql failed \\(exit code 3\\) at \\S+schema\\.sql:\\d+: ERROR:  "
                + "permission denied for schema public").doesNotContain("LINE 1:").doesNotContain(PASSWORD);
        assertThat(Db.count(catalog, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
    }
}
