package org.dbreplication.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dbreplication.config.ConfigException;
import org.dbreplication.logging.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseUrlTest {

    @Test
    void parsesThePaasForm() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL",
                "postgres://pix_user:p%40ss:w0rd@db.example.com:30123/pix_db?sslmode=require&unknown=1");

        assertThat(url.user()).isEqualTo("pix_user");
        assertThat(url.password()).isEqualTo("p@ss:w0rd");
        assertThat(url.host()).isEqualTo("db.example.com");
        assertThat(url.port()).isEqualTo(30123);
        assertThat(url.database()).isEqualTo("pix_db");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:30123/pix_db");
        assertThat(url.jdbcProperties("app")).containsEntry("sslmode", "require").containsEntry("password", "p@ss:w0rd");
        assertThat(url.toString()).isEqualTo("postgres://pix_user@db.example.com:30123/pix_db").doesNotContain("w0rd");
        assertThat(DatabaseUrl.parse("X", "postgresql://u@h/d").port()).isEqualTo(5432);
    }

    @Test
    void libpqConnectionStringsCarryAPassfileNotThePassword(@TempDir Path dir) throws Exception {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgres://o'brien:secret%20pw@h:5432/my%20db?sslmode=verify-full");
        try (PassFile passFile = PassFile.create(dir, url)) {
            String conninfo = url.libpqConninfo(passFile, "db-replication:full", "-c synchronous_commit=off");

            assertThat(conninfo).doesNotContain("secret").contains("user='o\\'brien'").contains("dbname='my db'")
                    .contains("sslmode='verify-full'").contains("passfile='" + passFile.path() + "'")
                    .contains("options='-c synchronous_commit=off'");
            assertThat(Files.readString(passFile.path())).isEqualTo("h:5432:my db:o'brien:secret pw\n");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(passFile.path()))).isEqualTo("rw-------");
        }
    }

    @Test
    void errorsNameTheVariableAndNeverRepeatTheValue() {
        assertThatThrownBy(() -> DatabaseUrl.parse("SOURCE_DATABASE_URL", "mysql://u:topsecret@h/d"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SOURCE_DATABASE_URL: must start with postgres://")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgres://u:top secret@h/d"))
                .hasMessageStartingWith("DATABASE_URL: is not a valid URL").hasMessageNotContaining("top secret");
        assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgres://u:pw@h:5432/"))
                .hasMessageStartingWith("DATABASE_URL: has no database name");
        assertThatThrownBy(() -> DatabaseUrl.parse("DATABASE_URL", "postgres://h:5432/db"))
                .hasMessageStartingWith("DATABASE_URL: has no user name");
    }

    @Test
    void passwordsAreMaskedInAnyLoggedText() {
        DatabaseUrl.parse("DATABASE_URL", "postgres://u:registered-Secret@h/d");

        assertThat(Secrets.mask("failed: postgres://x:another-secret@host/db and registered-Secret"))
                .isEqualTo("failed: postgres://x:***@host/db and ***");
    }

    @Test
    void identifiersAreAlwaysQuoted() {
        assertThat(new TableRef("public", "Weird-Name\"Quoted").quoted()).isEqualTo("\"public\".\"Weird-Name\"\"Quoted\"");
        assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
    }
}
