package org.dbreplication.chain;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The error handler's hook for every failed attempt of a step (onExceptionOccurred): records it. */
public class StepAttemptFailed implements Processor {

    private final Runs runs;

    public StepAttemptFailed(Runs runs) {
        this.runs = runs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        runs.attemptFailed(exchange);
    }
}
