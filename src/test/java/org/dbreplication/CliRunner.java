package org.dbreplication;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.dbreplication.cli.Cli;

/** Runs the command line in-process with chosen variables, capturing what it prints. */
public final class CliRunner {

    public record Result(int exitCode, String out, String err) {
    }

    private CliRunner() {
    }

    public static Result run(Map<String, String> variables, String... args) {
        Map<String, String> all = new HashMap<>(variables);
        all.putIfAbsent("WORK_DIR", System.getProperty("java.io.tmpdir") + "/db-replication-tests");
        // one attempt per step unless a test is about retries: failures are what most tests look at
        all.putIfAbsent("MAX_RETRY_COUNT", "1");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(all, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}
