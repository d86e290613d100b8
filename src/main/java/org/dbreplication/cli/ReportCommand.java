package org.dbreplication.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.Report;
import org.dbreplication.journal.RunJournal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code report [RUN_ID]}: the timing report of a run, from the journal. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Prints the timing report of a run (default: the last one) from the run journal."})
class ReportCommand implements Callable<Integer> {

    @picocli.CommandLine.ParentCommand
    Cli cli;

    @Parameters(arity = "0..1", paramLabel = "RUN_ID", description = "the run (default: the last one)")
    Long runId;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = cli.settingsWithTarget();
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        try (RunJournal journal = new RunJournal(settings)) {
            cli.out.print(new Report(journal).of(Optional.ofNullable(runId)));
            cli.out.flush();
            return Cli.OK;
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                cli.err.println("error: no run journal in DATABASE_URL (" + settings.databases().targetUrl() + ", schema "
                        + settings.databases().replicationSchema() + ") yet: it is created by the first run");
                return Cli.FAILED;
            }
            return cli.failed(e);
        } catch (Exception e) {
            return cli.failed(e);
        }
    }
}
