package org.dbreplication.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An environment's route override (REPLICATION_ENV=test-override: src/test/resources/routes/test-override/chain.yaml,
 * whose chain only notifies) replaces the default route of the same file, and only it.
 */
class EnvironmentOverrideRouteTest extends ChainRouteTestSupport {

    @Override
    Optional<String> environment() {
        return Optional.of("test-override");
    }

    @Test
    void theOverridesChainReplacesTheDefaultOne() {
        chain(RunPlan.all(List.of(Step.values())));

        assertThat(runs.calls).containsExactly("begin", "attempt notification", "listed 0 webhooks",
                "checked 0 results", "succeeded notification", "finish: succeeded");
        assertThat(context.getRoute("step-full")).isNull();
        // the files the override does not replace are the default ones
        assertThat(context.getRoute("webhook")).isNotNull();
        assertThat(context.getRoute("chain").getSourceLocation()).contains("routes/test-override/chain.yaml");
    }
}
