package org.dbreplication.chain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.dbreplication.runtime.RouteFiles;

/**
 * The base of the route tests on Camel's test kit for camel-main ({@link CamelMainTestSupport}), without PostgreSQL:
 * the chain's routes as the process loads them (routes/chain.yaml, error-handling.yaml, notification.yaml, chosen by
 * {@link RouteFiles} as the runtime chooses them); the run bookkeeping and the webhooks are stand-ins that record
 * what the routes call, and each step's own route (direct:full…) is a stand-in that fails as often as a test asks. Properties: src/test/resources/chain-route-test.properties (MAX_RETRY_COUNT 3, delays of 1 to 4 ms).
 */
abstract class ChainRouteTestSupport extends CamelMainTestSupport {

    static final int MAX_RETRY_COUNT = 3;
    final RecordingRuns runs = new RecordingRuns();
    final StandInWebhooks webhooks = new StandInWebhooks();
    /** How many more times each step's route fails before it succeeds (absent: never fails). */
    final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:chain-route-test.properties";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.setRoutesIncludePattern(RouteFiles.includePattern(environment(), Optional.empty(),
                name -> name.equals("chain.yaml") || name.equals("error-handling.yaml") || name.equals("notification.yaml")));
        configuration.addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                for (String step : List.of("full", "incremental", "learning-content")) {
                    from("direct:" + step).routeId("stand-in-" + step).process(exchange -> runStep(step));
                }
            }
        });
    }

    /** The route environment (REPLICATION_ENV) of the test; none: the default routes. */
    Optional<String> environment() {
        return Optional.empty();
    }

    /**
     * The registry the context is created with, holding already what camel-main must find before it initialises the
     * context: no CLI connector of Camel's own (its thread binds into the registry while the routes are created:
     * ConcurrentModificationException, as CamelCli explains). bindToRegistry comes too late for it.
     */
    @Override
    protected Registry createCamelRegistry() {
        Registry registry = new org.apache.camel.support.DefaultRegistry();
        registry.bind(org.dbreplication.runtime.CamelCli.FACTORY_BEAN, org.dbreplication.runtime.CamelCli.automaticConnectorOff());
        return registry;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        // as ChainBeans binds them, with the stand-in bookkeeping instead of the journal's
        registry.bind("runs", runs);
        registry.bind("stepAttemptFailed", (Processor) runs::attemptFailed);
        registry.bind("stepAttemptRetried", (Processor) runs::attemptStarted);
        registry.bind("failurePropagation", new FailurePropagation());
        registry.bind("retryWhileRunning", new RetryWhileRunning());
        registry.bind("webhooks", webhooks);
        registry.bind("webhookRetried", new org.dbreplication.notification.Webhooks.Retried());
    }

    private void runStep(String step) {
        runs.calls.add("ran " + step);
        AtomicInteger left = failuresLeft.get(step);
        if (left != null && left.getAndDecrement() > 0) {
            throw new IllegalStateException(step + " broke (test)");
        }
    }

    /** Runs the chain as ChainTrigger does; returns the exchange as the chain left it. */
    Exchange chain(RunPlan plan) {
        return template.send("direct:chain", exchange -> exchange.setProperty(RunPlan.PROPERTY, plan));
    }

    /** The endpoint fails its first {@code times} calls, as a webhook answering 503 would. */
    static void failTimes(MockEndpoint endpoint, int times) {
        AtomicInteger left = new AtomicInteger(times);
        endpoint.whenAnyExchangeReceived(exchange -> {
            if (left.getAndDecrement() > 0) {
                throw new IllegalStateException(endpoint.getEndpointUri() + " answered HTTP 503 (test)");
            }
        });
    }

    /** Stands in for {@link Runs}: records the calls of the routes, in order, and sets what the routes read. */
    public static class RecordingRuns {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        public void begin(Exchange exchange) {
            exchange.setProperty(Runs.RUN_ID, 1L);
            calls.add("begin");
        }

        public void attemptStarted(Exchange exchange) {
            calls.add("attempt " + step(exchange));
        }

        public void attemptSucceeded(Exchange exchange) {
            exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
            calls.add("succeeded " + step(exchange));
        }

        public void attemptFailed(Exchange exchange) {
            calls.add("failed " + step(exchange) + ": " + Runs.message(exchange.getException()));
        }

        public void stepExhausted(Exchange exchange) {
            exchange.setProperty(Runs.FAILED_STEP, exchange.getProperty(Runs.STEP, String.class));
            exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
            calls.add("dead letter " + exchange.getProperty(Runs.STEP, String.class));
        }

        public void finish(Exchange exchange) {
            String failed = exchange.getProperty(Runs.FAILED_STEP, String.class);
            calls.add(failed == null ? "finish: succeeded" : "finish: failed " + failed);
        }

        /** As Runs does: a step route's id names the step (step-full → full). */
        private static String step(Exchange exchange) {
            String route = ExchangeHelper.getAtRouteId(exchange);
            if (route != null && route.startsWith("step-")) {
                exchange.setProperty(Runs.STEP, route.substring("step-".length()));
            }
            return exchange.getProperty(Runs.STEP, String.class);
        }
    }

    /** Stands in for the webhooks bean: mock endpoints instead of HTTP; records what each webhook ended with. */
    public class StandInWebhooks {
        volatile List<String> urls = List.of();
        final List<String> results = Collections.synchronizedList(new ArrayList<>());

        public List<String> list(Exchange exchange) {
            runs.calls.add("listed " + urls.size() + " webhooks");
            return urls;
        }

        public void request(Exchange exchange) {
            String url = exchange.getIn().getBody(String.class);
            exchange.setProperty("webhook", url);
            exchange.setProperty("webhookEndpoint", url);
        }

        public void delivered(Exchange exchange) {
            results.add("delivered " + exchange.getProperty("webhook", String.class));
        }

        public void failed(Exchange exchange) {
            results.add("failed " + exchange.getProperty("webhook", String.class));
        }

        public void checkAll(Exchange exchange) {
            runs.calls.add("checked " + results.size() + " results");
            long failed = results.stream().filter(r -> r.startsWith("failed")).count();
            if (failed > 0) {
                throw new IllegalStateException(failed + " of " + results.size() + " webhooks failed");
            }
        }
    }
}
