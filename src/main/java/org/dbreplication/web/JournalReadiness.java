package org.dbreplication.web;

import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.logging.Secrets;

/**
 * Readiness of the web process (/observe/health/ready): DOWN when the journal cannot be read, or when the latest
 * run failed or was interrupted (an operator has something to look at), with the run and its error (masked).
 * Liveness is the process alone.
 */
public class JournalReadiness extends AbstractHealthCheck {

    private final RunJournal journal;

    public JournalReadiness(RunJournal journal) {
        super("replication", "journal");
        this.journal = journal;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<RunJournal.Run> last;
        try {
            last = journal.recentRuns(1);
        } catch (Exception e) {
            builder.down().message("cannot read the journal: " + Secrets.mask(String.valueOf(e.getMessage())));
            return;
        }
        if (last.isEmpty()) {
            builder.up().message("no run yet");
            return;
        }
        RunJournal.Run run = last.get(0);
        builder.detail("last_run", run.id()).detail("last_run_status", run.status());
        if (run.status().equals("failed") || run.status().equals("interrupted")) {
            builder.down().message("run #" + run.id() + " " + run.status()
                    + (run.error() == null ? "" : ": " + Secrets.mask(run.error())));
            // Camel escapes the message twice (\/ and \" once decoded); its data (?data=true) is written once
            if (run.error() != null) {
                builder.detail("last_run_error", Secrets.mask(run.error()));
            }
        } else {
            builder.up();
        }
    }
}
