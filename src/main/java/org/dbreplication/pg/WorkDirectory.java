package org.dbreplication.pg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary directory of WORK_DIR for one piece of work (archives, lists, scripts) with the password file of the
 * databases it talks to; removed with everything in it when closed, also after a failure.
 */
public final class WorkDirectory implements AutoCloseable {

    /** The file naming the process that works in a directory: its pid and start time (a pid may be reused). */
    static final String OWNER = "owner";
    private static final String OWNER_PROCESS = owner(ProcessHandle.current());
    private static final Logger LOG = LoggerFactory.getLogger(WorkDirectory.class);

    /** The directories of this process's steps, removed when the process is stopped (SIGTERM) mid-step. */
    private static final java.util.Set<WorkDirectory> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // after a SIGTERM the step's own cleanup may never run (the JVM exits first): no password file stays
        org.dbreplication.runtime.Shutdown.onRequest(WorkDirectory::removeLive);
    }

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
            Files.writeString(path.resolve(OWNER), OWNER_PROCESS);
            WorkDirectory directory = new WorkDirectory(path, PassFile.create(path, databases));
            LIVE.add(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in WORK_DIR (" + workDir + ")", e);
        }
    }

    /**
     * Removes the directories of WORK_DIR whose owner process is gone (killed, host restarted): an interrupted run's
     * archive, lists and password file. Directories of live processes (another process sharing WORK_DIR) stay.
     *
     * @return the directories removed
     */
    public static List<Path> removeStale(Path workDir) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(workDir)) {
            return removed;
        }
        try (Stream<Path> children = Files.list(workDir)) {
            for (Path directory : children.filter(d -> Files.isRegularFile(d.resolve(OWNER))).toList()) {
                String owner = Files.readString(directory.resolve(OWNER)).strip();
                long pid = pid(owner);
                boolean alive = pid > 0 && ProcessHandle.of(pid).map(p -> owner(p).equals(owner)).orElse(false);
                if (!alive) {
                    new WorkDirectory(directory, null).close();
                    removed.add(directory);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot remove what dead processes left in WORK_DIR ({}): {}", workDir, e.getMessage());
        }
        if (!removed.isEmpty()) {
            LOG.info("removed from WORK_DIR what dead processes left: {}", removed);
        }
        return removed;
    }

    private static String owner(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("?");
    }

    private static long pid(String owner) {
        try {
            return Long.parseLong(owner.split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
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

    private static void removeLive() {
        for (WorkDirectory directory : LIVE) {
            try {
                directory.close();
            } catch (UncheckedIOException e) {
                LOG.warn("cannot remove {} while stopping: {}", directory.path, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        LIVE.remove(this);
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
