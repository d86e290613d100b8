package org.dbreplication.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal's schema is created by the migrations, and a start whose target already has every migration does not
 * go through Flyway; a target with a failed or a missing migration does.
 */
class ReplicationSchemaTest {

    DatabaseUrl target;
    ReplicationSchema schema;

    @BeforeEach
    void create() {
        target = TestPostgres.createDatabase("replication_schema", null);
        schema = new ReplicationSchema(Settings.from(Map.of("DATABASE_URL", target.toString())));
    }

    @AfterEach
    void drop() {
        TestPostgres.dropDatabase(target);
    }

    @Test
    void theLatestVersionIsTheNewestMigrationFile() throws IOException {
        try (Stream<Path> sql = Files.list(Path.of("src/main/resources/db/migration"));
             Stream<Path> java = Files.list(Path.of("src/main/java/db/migration"))) {
            int newest = Stream.concat(sql, java).map(p -> p.getFileName().toString())
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow();
            assertThat(ReplicationSchema.LATEST_VERSION).isEqualTo(Integer.toString(newest));
        }
    }

    @Test
    void anUpToDateTargetSkipsFlywayOthersAreMigrated() {
        assertThat(schema.upToDate(target)).as("no schema yet").isFalse();

        schema.migrate(target);

        assertThat(Db.scalar(target, "SELECT max(version::int) FROM replication.flyway_schema_history WHERE success"))
                .isEqualTo(ReplicationSchema.LATEST_VERSION);
        assertThat(schema.upToDate(target)).isTrue();

        // the newest migration undone (as a target last used by an older version of the tool): migrated again
        Db.execute(target, "DROP TABLE replication.replay_requests CASCADE; DROP TABLE replication.progress_items CASCADE;"
                + " DELETE FROM replication.flyway_schema_history WHERE version = '" + ReplicationSchema.LATEST_VERSION + "'");
        assertThat(schema.upToDate(target)).isFalse();
        schema.migrate(target);
        assertThat(Db.scalar(target, "SELECT to_regclass('replication.replay_requests') IS NOT NULL")).isEqualTo("t");

        // a failed migration in the history: Flyway decides (and says what is wrong)
        Db.execute(target, "UPDATE replication.flyway_schema_history SET success = false WHERE version = '1'");
        assertThat(schema.upToDate(target)).isFalse();
    }
}
