package org.dbreplication.chain;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Makes every failure reach the error handler of the step that runs it (routes/error-handling.yaml): retried,
 * recorded as a failed attempt, dead-lettered.
 * <p>
 * Why: Camel marks a failed exchange "redelivery exhausted" when a multicast or a split had a failing branch, or
 * when an inner error handler (a webhook's) gave up, so that the error handlers above do not retry it again. A
 * route's processors normally clear that mark on the way back, but those inside a {@code doTry}/{@code doFinally}
 * have no error handler to do it, and the mark reached the step's dead letter channel, which then took the failure
 * as already handled: no retry, no failed attempt in the journal, no dead letter, the run recorded as succeeded.
 * In this tool an error handler retries a whole step (or one webhook), never the branch of a split, so a failure
 * coming back to any processor is a new failure for the error handler around it; this strategy, applied to every
 * processor of every route, clears the mark as the failure leaves the processor.
 * <p>
 * Registered as a bean: camel-main adds every {@link InterceptStrategy} of its registry to the context.
 */
public class FailurePropagation implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return super.process(exchange, doneSync -> {
                    if (exchange.getException() != null) {
                        exchange.getExchangeExtension().setRedeliveryExhausted(false);
                    }
                    callback.done(doneSync);
                });
            }

            @Override
            public String toString() {
                return "FailurePropagation[" + processor + "]";
            }
        };
    }
}
