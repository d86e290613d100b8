package org.dbreplication.chain;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The error handler's hook before each new attempt of a step (onRedelivery): records it. */
public class StepAttemptRetried implements Processor {

    private final Runs runs;

    public StepAttemptRetried(Runs runs) {
        this.runs = runs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        runs.nextAttempt(exchange);
    }
}
