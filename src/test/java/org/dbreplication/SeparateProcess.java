package org.dbreplication;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line in its own JVM (the test's classpath), so that a test can kill it or send it SIGTERM. */
public final class SeparateProcess {

    private SeparateProcess() {
    }

    public static Process start(Map<String, String> variables, String... args) throws Exception {
        return start(Files.createTempFile("separate-process", ".log"), variables, args);
    }

    /** The same, its output (stdout and stderr) written to {@code log}. */
    public static Process start(Path log, Map<String, String> variables, String... args) throws Exception {
        return start(log, variables, List.of(), args);
    }

    /**
     * The same, without the variables of this process's environment whose names start with one of {@code unset}
     * (e.g. "LC_" and "LANG", to run it under another locale).
     */
    public static Process start(Path log, Map<String, String> variables, List<String> unset, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.dbreplication.cli.Cli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> unset.stream().anyMatch(name::startsWith));
        builder.environment().putAll(variables);
        builder.environment().put("LOG_FORMAT", "text");
        builder.environment().putIfAbsent("WORK_DIR", System.getProperty("java.io.tmpdir") + "/db-replication-tests");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    /** What a process wrote to {@code log} so far ("" before it wrote anything). */
    public static String output(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException notYet) {
            return "";
        }
    }
}
