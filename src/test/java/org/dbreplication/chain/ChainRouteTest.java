package org.dbreplication.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.junit.jupiter.api.Test;

/**
 * The routes' story, in seconds and without PostgreSQL (Camel's test kit, {@link ChainRouteTestSupport}): which steps
 * a plan runs and in which order, how often a failing step is tried and how long it waits, that its dead letter stops
 * the chain, that every webhook is called and each is retried alone.
 */
class ChainRouteTest extends ChainRouteTestSupport {

    @Test
    void theContextRunsWithoutACliConnectorOfCamelsOwn() {
        // one would race with the creation of the routes (a 1-in-10 ConcurrentModificationException once)
        assertThat(context.hasService(org.apache.camel.spi.CliConnector.class)).isNull();
    }

    @Test
    void eachPlanRunsItsStepsInTheChainsOrder() {
        List<Step> all = List.of(Step.values());
        chain(RunPlan.all(all));
        assertThat(runs.calls).containsExactly("begin",
                "attempt full", "ran full", "succeeded full",
                "attempt incremental", "ran incremental", "succeeded incremental",
                "attempt learning-content", "ran learning-content", "succeeded learning-content",
                "attempt notification", "listed 0 webhooks", "checked 0 results", "succeeded notification",
                "finish: succeeded");

        runs.calls.clear();
        chain(RunPlan.only(Step.INCREMENTAL));
        assertThat(runs.calls).containsExactly("begin", "attempt incremental", "ran incremental",
                "succeeded incremental", "finish: succeeded");

        runs.calls.clear();
        chain(RunPlan.from(Step.LEARNING_CONTENT, all));
        assertThat(runs.calls).containsExactly("begin", "attempt learning-content", "ran learning-content",
                "succeeded learning-content", "attempt notification", "listed 0 webhooks", "checked 0 results",
                "succeeded notification", "finish: succeeded");
    }

    @Test
    void aStepThatKeepsFailingIsTriedMaxRetryCountTimesThenDeadLetteredAndTheChainStops() {
        failuresLeft.put("incremental", new AtomicInteger(Integer.MAX_VALUE));
        Exchange result = chain(RunPlan.all(List.of(Step.values())));

        assertThat(runs.calls).containsExactly("begin",
                "attempt full", "ran full", "succeeded full",
                "attempt incremental", "ran incremental", "failed incremental: incremental broke (test)",
                "attempt incremental", "ran incremental", "failed incremental: incremental broke (test)",
                "attempt incremental", "ran incremental", "failed incremental: incremental broke (test)",
                "dead letter incremental",
                "finish: failed incremental");
        assertThat(result.getProperty(Runs.FAILED_STEP, String.class)).isEqualTo("incremental");
        assertThat(result.getException()).isNull();
    }

    @Test
    void aStepThatFailsTwiceSucceedsAtItsThirdAttemptAndTheChainGoesOn() {
        failuresLeft.put("full", new AtomicInteger(2));
        chain(RunPlan.from(Step.FULL, List.of(Step.FULL, Step.INCREMENTAL)));

        assertThat(runs.calls).containsExactly("begin",
                "attempt full", "ran full", "failed full: full broke (test)",
                "attempt full", "ran full", "failed full: full broke (test)",
                "attempt full", "ran full", "succeeded full",
                "attempt incremental", "ran incremental", "succeeded incremental",
                "finish: succeeded");
    }

    @Test
    void theStepsWaitTwiceAsLongBeforeEachNewAttemptUpToTheMaximum() {
        ModelCamelContext model = (ModelCamelContext) context;
        RouteConfigurationDefinition retries = model.getRouteConfigurationDefinitions().stream()
                .filter(c -> "step-retries".equals(c.getId())).findFirst().orElseThrow();
        DeadLetterChannelDefinition deadLetter = (DeadLetterChannelDefinition) retries.getErrorHandler().getErrorHandlerType();
        assertThat(deadLetter.getDeadLetterUri()).isEqualTo("direct:step-failed");

        // Camel's own computation of the delays, from the policy as the YAML and the properties configure it
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setRedeliveryDelay(Long.parseLong(context.resolvePropertyPlaceholders(deadLetter.getRedeliveryPolicy().getRedeliveryDelay())));
        policy.setBackOffMultiplier(Double.parseDouble(deadLetter.getRedeliveryPolicy().getBackOffMultiplier()));
        policy.setUseExponentialBackOff(Boolean.parseBoolean(deadLetter.getRedeliveryPolicy().getUseExponentialBackOff()));
        policy.setMaximumRedeliveryDelay(Long.parseLong(context.resolvePropertyPlaceholders(
                deadLetter.getRedeliveryPolicy().getMaximumRedeliveryDelay())));
        List<Long> delays = new ArrayList<>();
        long previous = 0;
        for (int attempt = 1; attempt <= 4; attempt++) {
            previous = policy.calculateRedeliveryDelay(previous, attempt);
            delays.add(previous);
        }
        assertThat(delays).containsExactly(1L, 2L, 4L, 4L);
        assertThat(context.resolvePropertyPlaceholders(deadLetter.getRedeliveryPolicy().getMaximumRedeliveries()))
                .isEqualTo(Integer.toString(MAX_RETRY_COUNT - 1));
    }

    @Test
    void everyWebhookIsCalledAndEachIsRetriedAlone() throws Exception {
        webhooks.urls = List.of("mock:hook-a", "mock:hook-b", "mock:hook-c");
        failTimes(getMockEndpoint("mock:hook-b"), 2);
        failTimes(getMockEndpoint("mock:hook-c"), Integer.MAX_VALUE);
        getMockEndpoint("mock:hook-a").expectedMessageCount(1);
        getMockEndpoint("mock:hook-b").expectedMessageCount(MAX_RETRY_COUNT);
        getMockEndpoint("mock:hook-c").expectedMessageCount(MAX_RETRY_COUNT);

        Exchange result = chain(RunPlan.only(Step.NOTIFICATION));

        MockEndpoint.assertIsSatisfied(context);
        assertThat(webhooks.results).containsExactlyInAnyOrder("delivered mock:hook-a", "delivered mock:hook-b",
                "failed mock:hook-c");
        // the step itself is not retried (step-once): one attempt, then its dead letter
        assertThat(runs.calls).containsExactly("begin", "attempt notification", "listed 3 webhooks", "checked 3 results",
                "failed notification: 1 of 3 webhooks failed", "dead letter notification", "finish: failed notification");
        assertThat(result.getProperty(Runs.FAILED_STEP, String.class)).isEqualTo("notification");
    }

}
