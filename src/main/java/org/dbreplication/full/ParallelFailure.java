package org.dbreplication.full;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/**
 * A branch of a parallel multicast that fails reaches the caller marked "redelivery exhausted" by Camel (the
 * multicast assumes its branches had their own error handlers): the step's error handler would then neither retry
 * the step nor record the failed attempt, and the run would be recorded as a success. Called from a doCatch around
 * the multicast, this throws the branch's own exception again, unmarked, so that the step fails like any other.
 */
public class ParallelFailure {

    /** @throws Exception the failing branch's exception (e.g. pg_dump's error), without the multicast's wrapper */
    public void rethrow(Exchange exchange) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        if (caught instanceof CamelExchangeException && caught.getCause() instanceof Exception cause) {
            throw cause;
        }
        throw caught != null ? caught : new IllegalStateException("a parallel branch of the full step failed");
    }
}
