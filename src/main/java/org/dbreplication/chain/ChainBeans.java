package org.dbreplication.chain;

import java.util.function.BiConsumer;
import org.apache.camel.Processor;

/**
 * The beans that routes/chain.yaml and routes/error-handling.yaml name, bound the same way by the process
 * (ReplicationRuntime) and by the route tests: the run bookkeeping, the step error handlers' hooks, and the
 * {@link FailurePropagation} that makes every failure reach them.
 */
public final class ChainBeans {

    private ChainBeans() {
    }

    /** Binds them with {@code registry} (name, bean), e.g. camel-main's {@code Main::bind}. */
    public static void bind(BiConsumer<String, Object> registry, Runs runs) {
        registry.accept("runs", runs);
        // the step error handlers' hooks: every failed attempt, every new attempt of a step
        registry.accept("stepAttemptFailed", (Processor) runs::attemptFailed);
        registry.accept("stepAttemptRetried", (Processor) runs::attemptStarted);
        registry.accept("failurePropagation", new FailurePropagation());
        registry.accept("retryWhileRunning", new RetryWhileRunning());
    }
}
