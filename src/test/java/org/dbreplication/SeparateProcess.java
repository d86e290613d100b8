package org.dbreplication;

import java.io.File;
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.dbreplication.cli.Cli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(variables);
        builder.environment().put("LOG_FORMAT", "text");
        builder.environment().putIfAbsent("WORK_DIR", System.getProperty("java.io.tmpdir") + "/db-replication-tests");
        File log = Files.createTempFile("separate-process", ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }
}
