package org.dbreplication.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A libpq password file (mode 0600) holding the passwords of the databases a run talks to, so that
 * pg_dump/pg_restore/psql get them without a command-line argument or an inherited environment variable.
 * Deleted when closed.
 */
public final class PassFile implements AutoCloseable {

    private final Path path;

    private PassFile(Path path) {
        this.path = path;
    }

    public static PassFile create(Path directory, DatabaseUrl... urls) {
        Set<String> lines = new LinkedHashSet<>();
        for (DatabaseUrl url : urls) {
            if (url != null && url.hasPassword()) {
                lines.add(url.passFileLine());
            }
        }
        try {
            Files.createDirectories(directory);
            Path file = Files.createTempFile(directory, "pgpass-", ".conf",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, lines);
            return new PassFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a password file in " + directory, e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
