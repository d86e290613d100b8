package org.dbreplication.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.logging.SentryLogging;
import org.dbreplication.pg.PgTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code java -jar db-replication.jar}. Exit codes: 0 success, 1 a step failed, 2 cannot start
 * (configuration, tools), 3 refused because another run is active on the target.
 */
@Command(name = "db-replication",
        mixinStandardHelpOptions = true,
        version = "db-replication 0.1.0",
        subcommands = {RunCommand.class, ScheduleCommand.class, WebCommand.class, ReportCommand.class,
                ExportSchemaCommand.class, DemoCommand.class, VariablesCommand.class},
        description = "Keeps an analytics copy of a production PostgreSQL database fresh.",
        // Each element of a description or footer is one whole paragraph, which picocli wraps to the usage width: an
        // element cut in the middle of a sentence would print as a broken line, and the list of commands below
        // shows only the first element of each command's description, so that one is a whole sentence of its own.
        footer = {
                "",
                "Steps, in chain order: full, incremental, learning-content, notification.",
                "",
                "Configuration: environment variables, plus a .env file in the working directory when present (the "
                        + "environment wins). sample.env documents every variable and its default.",
                "",
                "Exit codes: 0 success, 1 a step failed, 2 invalid configuration or missing tools, 3 refused because "
                        + "another run is active on the target, 143 stopped by SIGTERM (130 by Ctrl-C)."})
public class Cli implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int CANNOT_START = 2;
    public static final int REFUSED = 3;
    /** Stopped by SIGTERM or Ctrl-C: what the JVM exits with after its shutdown hooks (128 + 15). */
    public static final int INTERRUPTED = 143;
    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    final Map<String, String> variables;
    final PrintWriter out;
    final PrintWriter err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Cli(Map<String, String> variables, PrintWriter out, PrintWriter err) {
        this.variables = variables;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /** The validated settings of this invocation (Sentry is switched on here when configured). */
    Settings settings() {
        Settings settings = Settings.from(variables);
        SentryLogging.enableIfConfigured(settings);
        return settings;
    }

    /** The settings, with DATABASE_URL required (the run journal lives there). */
    Settings settingsWithTarget() {
        Settings settings = settings();
        settings.databases().targetUrl();
        return settings;
    }

    int cannotStart(RuntimeException e) {
        err.println("error: " + e.getMessage());
        return CANNOT_START;
    }

    int failed(Exception e) {
        if (e instanceof ConfigException || e instanceof PgTools.ToolsException) {
            return cannotStart((RuntimeException) e);
        }
        String line = Failures.oneLine(e);
        LOG.error("failed: {}", line, e);
        err.println("error: " + line);
        return FAILED;
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: Java 17 encodes System.out/err in the locale's charset, and under LANG=C (a bare
        // container, a cron job) every → of the plan and every accented table or content name would print as '?'
        System.setOut(utf8(FileDescriptor.out));
        System.setErr(utf8(FileDescriptor.err));
        Map<String, String> variables = Settings.processVariables(Path.of("").toAbsolutePath());
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(variables, out, err, args);
        // the command is over: the JVM's exit is not a stop to record (only SIGTERM before this point is)
        org.dbreplication.runtime.Shutdown.disarm();
        System.exit(code);
    }

    private static PrintStream utf8(FileDescriptor descriptor) {
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(descriptor)), true, StandardCharsets.UTF_8);
    }

    /** Runs a command line with the given variables (tests call this in-process). */
    public static int execute(Map<String, String> variables, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Cli(variables, out, err));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(e -> CANNOT_START);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(CANNOT_START);
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
