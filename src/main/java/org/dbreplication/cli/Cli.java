package org.dbreplication.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.dbreplication.config.Settings;

/** Entry point of {@code java -jar db-replication.jar}. Exit codes: 0 success, 1 a step failed, 2 cannot start. */
@Command(name = "db-replication",
        mixinStandardHelpOptions = true,
        version = "db-replication 0.1.0",
        subcommands = {RunCommand.class, DemoCommand.class},
        description = "Keeps an analytics copy of a production PostgreSQL database fresh.",
        footer = {
                "",
                "Steps, in chain order: full, incremental, learning-content, notification.",
                "",
                "Configuration: environment variables, plus a .env file in the working directory when present",
                "(the environment wins). sample.env documents every variable and its default.",
                "",
                "Exit codes: 0 success, 1 a step failed, 2 invalid configuration or missing tools."})
public class Cli implements Runnable {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int CANNOT_START = 2;

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

    public static void main(String[] args) {
        Map<String, String> variables = Settings.processVariables(Path.of("").toAbsolutePath());
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(variables, out, err, args));
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
