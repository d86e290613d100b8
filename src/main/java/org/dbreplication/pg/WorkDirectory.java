package org.dbreplication.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory of WORK_DIR for one piece of work (archives, lists, scripts) with the password file of the
 * databases it talks to; removed with everything in it when closed, also after a failure.
 */
public final class WorkDirectory implements AutoCloseable {

    private final Path path;
    private final PassFile passFile;

    private WorkDirectory(Path path, PassFile passFile) {
        this.path = path;
        this.passFile = passFile;
    }

    public static WorkDirectory create(Path workDir, String prefix, DatabaseUrl... databases) {
        try {
            Files.createDirectories(workDir);
            Path path = Files.createTempDirectory(workDir, prefix);
            return new WorkDirectory(path, PassFile.create(path, databases));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in WORK_DIR (" + workDir + ")", e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    public PassFile passFile() {
        return passFile;
    }

    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path, e);
        }
    }
}
