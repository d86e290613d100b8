package org.dbreplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PassFile;
import org.dbreplication.pg.PgTools;

/** The schema of a database as the real pg_dump writes it, cut into statements, to compare two databases. */
public final class SchemaDump {

    private SchemaDump() {
    }

    /**
     * {@code pg_dump --schema-only --no-owner --no-privileges} without the tool's own schema, as a list of statements
     * (comments, psql guards and blank lines removed, whitespace runs folded).
     */
    public static List<String> statements(DatabaseUrl url) {
        try {
            Path directory = Files.createTempDirectory("schema-dump");
            try (PassFile passFile = PassFile.create(directory, url)) {
                Process process = new ProcessBuilder(PgTools.locate(Optional.empty()).pgDump(), "--schema-only",
                        "--no-owner", "--no-privileges", "--exclude-schema=replication",
                        "--dbname=" + url.libpqConninfo(passFile, "tests", null))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("pg_dump --schema-only of " + url + " failed");
                }
                return Arrays.stream(dump.replaceAll("(?m)^--.*$", "").replaceAll("(?m)^\\\\.*$", "").split(";\\s*\\n"))
                        .map(s -> s.strip().replaceAll("\\s+", " ")).filter(s -> !s.isEmpty()).toList();
            } finally {
                try (var files = Files.list(directory)) {
                    files.forEach(f -> f.toFile().delete());
                }
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
