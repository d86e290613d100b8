package org.dbreplication.exec;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.exec.ExecResult;
import org.dbreplication.runtime.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor behind the routes' {@code exec:} endpoints (pg_dump, pg_restore, psql). Unlike camel-exec's default
 * one it:
 * <ul>
 *   <li>reads stderr line by line as the child writes it and prefixes each line with the time it arrived
 *       ({@link #TIMESTAMP_SEPARATOR}): pg_restore's {@code --verbose} lines become item timings;</li>
 *   <li>never buffers a large stdout (the tools write their output to files);</li>
 *   <li>fails with a one-line message instead of the full command line: the tool, its exit code, the first
 *       {@code ERROR:} it printed with the item or script line concerned ({@link ToolErrors});</li>
 *   <li>stops its children when the process is asked to stop ({@link Shutdown}), and starts none after that;</li>
 *   <li>has the kernel kill a child when the JVM dies without a word (kill -9, out of memory): each child is started
 *       through {@code setpriv --pdeathsig KILL} (util-linux) where it is installed, so that no pg_restore goes on
 *       altering the target while the next run starts. The signal follows the death of the thread that started the
 *       child: that thread always waits for its child here.</li>
 * </ul>
 */
public class ProcessCommandExecutor implements ExecCommandExecutor {

    public static final char TIMESTAMP_SEPARATOR = ' ';
    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommandExecutor.class);
    private static final int STDOUT_LIMIT = 1 << 20;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    /** setpriv, when installed: the children die with the JVM (PR_SET_PDEATHSIG). */
    private static final List<String> DIE_WITH_PARENT = Files.isExecutable(Path.of("/usr/bin/setpriv"))
            ? List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--") : List.of();

    static {
        Shutdown.onRequest(ProcessCommandExecutor::stopAll);
        if (DIE_WITH_PARENT.isEmpty()) {
            LOG.warn("/usr/bin/setpriv (util-linux) is not installed: a child of this process would outlive a kill -9");
        }
    }

    /** The command line to start: through setpriv when installed, refused once the process is stopping. */
    static List<String> childCommand(List<String> commandLine) {
        Shutdown.refuseIfRequested(Path.of(commandLine.get(0)).getFileName().toString());
        List<String> command = new ArrayList<>(DIE_WITH_PARENT);
        command.addAll(commandLine);
        return command;
    }

    /**
     * Starts a child whose output the caller streams itself (a pg_restore writing an archive's rows to its stdout):
     * stopped with the others when the JVM stops. Call {@link #finished} once it has ended.
     */
    public static Process startStreaming(List<String> commandLine) throws IOException {
        Process process = new ProcessBuilder(childCommand(commandLine)).start();
        RUNNING.add(process);
        closeQuietly(process.getOutputStream());
        return process;
    }

    public static void finished(Process process) {
        RUNNING.remove(process);
    }

    /** Stops every child still running (SIGTERM, then SIGKILL after 3 s: the whole stop must take under 10 s). */
    public static void stopAll() {
        for (Process process : RUNNING) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : RUNNING) {
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /**
     * What a failed tool worked on, for its error: {@code of archive <file>} for the archive pg_restore reads (its
     * last argument, a file that exists), else {@code writing <file>} for the file it writes (--file=, in WORK_DIR:
     * a full disk shows where); connection strings are only ever given as --dbname=…, never named here.
     */
    static String subject(String tool, ExecCommand command) {
        List<String> args = command.getArgs();
        if (args.isEmpty()) {
            return "";
        }
        String last = args.get(args.size() - 1);
        if (tool.equals("pg_restore") && !last.startsWith("-") && Files.exists(Path.of(last))) {
            return "of archive " + last;
        }
        if (tool.equals("psql")) {
            return ""; // psql's --file is the script it reads: ToolErrors names its line
        }
        return args.stream().filter(a -> a.startsWith("--file=") && !a.equals("--file=-")).findFirst()
                .map(a -> "(output file " + a.substring("--file=".length()) + ")").orElse("");
    }

    /** A child killed by a signal (exit code 128 + N): which one, e.g. a file size limit (SIGXFSZ) or SIGKILL. */
    static String signalNote(int exit) {
        return switch (exit) {
            case 128 + 9 -> " (killed by SIGKILL)";
            case 128 + 15 -> " (stopped by SIGTERM)";
            case 128 + 25 -> " (killed by SIGXFSZ: the file size limit was reached)";
            default -> exit > 128 && exit < 160 ? " (killed by signal " + (exit - 128) + ")" : "";
        };
    }

    @Override
    public ExecResult execute(ExecCommand command) {
        String tool = Path.of(command.getExecutable()).getFileName().toString();
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command.getExecutable());
        commandLine.addAll(command.getArgs());
        ProcessBuilder builder = new ProcessBuilder(childCommand(commandLine));
        if (command.getWorkingDir() != null) {
            builder.directory(Path.of(command.getWorkingDir()).toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ExecException(tool + " could not be started: " + e.getMessage(), null, null, -1, e);
        }
        RUNNING.add(process);
        try {
            closeQuietly(process.getOutputStream());
            List<String> stderrLines = Collections.synchronizedList(new ArrayList<>());
            Thread stderrReader = readLines(process.getErrorStream(), tool, stderrLines);
            java.util.concurrent.CompletableFuture<byte[]> stdout = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> readBounded(process.getInputStream(), LoggerFactory.getLogger("tool." + tool)),
                            ProcessCommandExecutor::startDaemon);
            boolean finished = command.getTimeout() <= 0 || command.getTimeout() == Long.MAX_VALUE
                    ? waitFor(process) : waitFor(process, command.getTimeout());
            if (!finished) {
                process.destroy();
                waitFor(process, 10_000);
                process.destroyForcibly();
                throw new ExecException(tool + " did not finish within " + command.getTimeout() / 1000 + " s and was stopped",
                        null, null, -1);
            }
            stderrReader.join();
            int exit = process.exitValue();
            ExecResult result = new ExecResult(command, new ByteArrayInputStream(stdout.join()),
                    new ByteArrayInputStream(String.join("\n", stderrLines).getBytes(StandardCharsets.UTF_8)), exit);
            if (!command.getExitValues().isEmpty() && !command.getExitValues().contains(exit)) {
                throw new ExecException(ToolErrors.parse(tool, withoutTimestamps(stderrLines)).summary(exit, subject(tool, command))
                        + signalNote(exit),
                        null, result.getStderr(), exit);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new ExecException(tool + " was interrupted", null, null, -1, e);
        } finally {
            RUNNING.remove(process);
        }
    }

    private static Thread readLines(InputStream stream, String tool, List<String> lines) {
        Logger toolLog = LoggerFactory.getLogger("tool." + tool);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(System.currentTimeMillis() + "" + TIMESTAMP_SEPARATOR + line);
                    toolLog.debug(line);
                }
            } catch (IOException e) {
                LOG.debug("stderr of {} closed: {}", tool, e.getMessage());
            }
        }, tool + "-stderr");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static void closeQuietly(java.io.OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child has no use for stdin
        }
    }

    private static void startDaemon(Runnable task) {
        Thread thread = new Thread(task, "child-stdout");
        thread.setDaemon(true);
        thread.start();
    }

    /** Keeps the first MB of stdout (the tools write their real output to files); each line is logged (debug). */
    private static byte[] readBounded(InputStream stream, Logger toolLog) {
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                toolLog.debug(line);
                if (kept.size() < STDOUT_LIMIT) {
                    kept.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            LOG.debug("stdout closed: {}", e.getMessage());
        }
        return kept.toByteArray();
    }

    private static boolean waitFor(Process process) throws InterruptedException {
        process.waitFor();
        return true;
    }

    private static boolean waitFor(Process process, long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    private static List<String> withoutTimestamps(List<String> timestampedLines) {
        synchronized (timestampedLines) {
            return timestampedLines.stream().map(ProcessCommandExecutor::withoutTimestamp).toList();
        }
    }

    public static String withoutTimestamp(String line) {
        int space = line.indexOf(TIMESTAMP_SEPARATOR);
        return space < 0 ? line : line.substring(space + 1);
    }

    public static long timestampOf(String line) {
        int space = line.indexOf(TIMESTAMP_SEPARATOR);
        return Long.parseLong(line.substring(0, space));
    }
}
