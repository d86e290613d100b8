package org.dbreplication.chain;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.dbreplication.runtime.Shutdown;

/**
 * The retry rule of error-handling.yaml's step and webhook handlers ({@code retryWhileRef}): another attempt while
 * the attempts made are at most {@code replication.step-redeliveries} (MAX_RETRY_COUNT - 1) — Camel's own rule
 * for maximumRedeliveries, which a retryWhile replaces — and never once the process is asked to stop: a one-off
 * {@code run} is stopped by SIGTERM before Camel itself stops, so Camel's allowRedeliveryWhileStopping alone would
 * still start a retry (files and a password file in WORK_DIR) and wait its backoff before exiting.
 */
public class RetryWhileRunning implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        if (Shutdown.requested()) {
            return false;
        }
        int done = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int allowed = Integer.parseInt(exchange.getContext().resolvePropertyPlaceholders("{{replication.step-redeliveries}}"));
        return done <= allowed;
    }
}
