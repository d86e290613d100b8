package org.dbreplication.runtime;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background process waits for its target (the journal's database) instead of exiting: a PaaS restarts a process
 * that exits, again and again, while the database is down for maintenance or not created yet. It tries again with
 * a backoff from {@link #FIRST_WAIT} doubled up to {@link #LONGEST_WAIT}, saying so at each try, until the database
 * answers or the process is stopped. One-off commands do not wait: they fail at once with the cause.
 */
public final class TargetWait {

    private static final Logger LOG = LoggerFactory.getLogger(TargetWait.class);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private TargetWait() {
    }

    /** Returns once a connection to {@code target} opens; false when the process is stopped while waiting. */
    public static boolean until(DatabaseUrl target, String app) throws InterruptedException {
        Duration wait = FIRST_WAIT;
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = Connections.openForJournal(target, app + ":journal")) {
                if (attempt > 1) {
                    LOG.info("{} answers after {} tries", v("variable", target.variable()), v("tries", attempt));
                }
                return true;
            } catch (Connections.DatabaseUnavailableException | SQLException e) {
                LOG.warn("waiting for {}: {}; trying again in {} s (try {})", target.variable(), e.getMessage(),
                        wait.toSeconds(), attempt);
            }
            long end = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < end) {
                if (Shutdown.requested()) {
                    return false;
                }
                Thread.sleep(100);
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }
}
