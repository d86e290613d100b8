package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finishing parts of the full step — the remaining post-data items, the foreign keys, the compatibility view,
 * the enrichment — each run even when one before them failed (route {@code full}): a copy whose rows are in is
 * usable, and each part left undone is one more thing missing on it. Each failure is recorded here with the part's
 * name; once every part has run, the step fails with all of them. The sequence values are set before these parts:
 * a copy whose next ids collide with its rows would break writers, not only be incomplete.
 */
public class FinishingErrors {

    private static final Logger LOG = LoggerFactory.getLogger(FinishingErrors.class);

    /** From a doCatch: records the exception just caught as the failure of {@code part}. */
    public void record(Exchange exchange, String part) {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while ((caught instanceof CamelExecutionException || caught != null && caught.getClass() == RuntimeCamelException.class)
                && caught.getCause() != null) {
            caught = caught.getCause();
        }
        String message = caught == null || caught.getMessage() == null ? String.valueOf(caught) : caught.getMessage().strip();
        run.finishingErrors().add(part + ": " + message);
        org.dbreplication.runtime.Shutdown.logFailure(LOG, "{} failed, the step goes on with its other finishing parts and will fail at the end: {}",
                v("part", part), v("error", message));
    }

    /**
     * After the last finishing part.
     *
     * @throws IllegalStateException listing every part that failed, with its error, when one did
     */
    public void failIfAny(Exchange exchange) {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        if (!run.finishingErrors().isEmpty()) {
            throw new IllegalStateException("the copy's rows and sequence values are in, but " + run.finishingErrors().size()
                    + " finishing part" + (run.finishingErrors().size() > 1 ? "s" : "") + " failed: "
                    + String.join("; ", run.finishingErrors()));
        }
    }
}
