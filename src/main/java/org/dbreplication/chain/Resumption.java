package org.dbreplication.chain;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dbreplication.journal.RunJournal;

/**
 * The night to resume when the scheduling process starts: the latest scheduled run (or resumption of one) ended
 * {@code interrupted} — SIGTERM, kill -9, host restart — less than RESUME_WINDOW ago. The resumption runs the steps
 * of the night's plan that no run of the night has succeeded, in chain order: the full step builds its new copy
 * again (the live copy never suffered), the incremental step goes on from its committed chunks. A night that failed
 * or succeeded is never resumed; one-off commands never look for one.
 */
public final class Resumption {

    /** The night's first run, the run that was cut, and the steps left. */
    public record Night(long firstRunId, long interruptedRunId, RunPlan plan) {
    }

    private Resumption() {
    }

    /**
     * @param window   RESUME_WINDOW: how long after its interruption a night is still worth resuming
     * @param available the steps this bundle has (an override may leave some out)
     * @return the night to resume, or empty (none interrupted within the window, or nothing left to run)
     */
    public static Optional<Night> find(RunJournal journal, Duration window, List<Step> available, Instant now)
            throws SQLException {
        Optional<RunJournal.Run> latest = journal.latestNightly();
        if (latest.isEmpty() || !latest.get().status().equals("interrupted") || window.isZero()) {
            return Optional.empty();
        }
        RunJournal.Run cut = latest.get();
        Instant interruptedAt = cut.endedAt() == null ? cut.startedAt() : cut.endedAt();
        if (interruptedAt.isBefore(now.minus(window))) {
            return Optional.empty();
        }
        List<RunJournal.Run> night = journal.night(cut.id());
        Set<String> succeeded = new HashSet<>();
        for (RunJournal.Run run : night) {
            journal.attempts(run.id()).stream().filter(a -> a.status().equals("succeeded"))
                    .forEach(a -> succeeded.add(a.step()));
        }
        List<String> planned = Arrays.asList(night.get(0).plan().split(" → "));
        List<Step> left = available.stream().filter(s -> planned.contains(s.id()) && !succeeded.contains(s.id())).toList();
        return left.isEmpty() ? Optional.empty() : Optional.of(new Night(night.get(0).id(), cut.id(), new RunPlan(left)));
    }
}
