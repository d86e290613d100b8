package org.dbreplication.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.dbreplication.ContentApi;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.ReplicationSchema;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.notification.Webhooks;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * "A failure is a failure, everywhere": a failure injected at any processor node of any route a step runs (the node
 * replaced by a throwException with AdviceWith, one node at a time) goes through the step's error handler: the step
 * is attempted as often as its error handler says, each attempt recorded as failed with the cause, none left
 * running, the run recorded as failed naming the step, the later steps not attempted, no webhook called, and the
 * caller (what makes {@code run} exit 1) gets the failure. Nodes are enumerated from the route definitions, so a
 * node added later is covered too. The real YAML routes and run journal (test PostgreSQL); stub step beans.
 */
class StepFailuresTest {

    static final int MAX_RETRY_COUNT = 2;
    /** The route files of the steps; plus the step routes (step-*) and their dead letter of chain.yaml. */
    static final Set<String> STEP_FILES = Set.of("full.yaml", "incremental.yaml", "learning-content.yaml",
            "notification.yaml", "pg-tools.yaml");
    static final List<String> STEPS = List.of("full", "incremental", "learning-content", "notification");

    static DatabaseUrl target;
    static ContentApi contentApi;
    static ContentApi hookA;
    static ContentApi hookB;
    static ChainRoutes.Beans beans;
    static List<ChainRoutes.Node> nodes;
    /** Node key → where a successful chain reaches it: the backup source, and the step. */
    static final Map<String, Reach> reached = new HashMap<>();
    /** Started once: each test weaves its failure into a route, then puts the route back as its file defines it. */
    static ModelCamelContext model;
    /** Each route as its file defines it: what a test puts back after weaving its failure in. */
    static Map<String, String> routeSources;

    record Reach(String backupSource, String step) {
    }

    @BeforeAll
    static void start() throws Exception {
        target = TestPostgres.createDatabase("step_failures", null);
        contentApi = new ContentApi();
        hookA = new ContentApi();
        hookB = new ContentApi();
        Settings settings = Settings.from(Map.of("DATABASE_URL", target.toString(),
                "NOTIFICATIONS", "[\"" + hookA.baseUrl() + "/hook\", \"" + hookB.baseUrl() + "/hook\"]"));
        new ReplicationSchema(settings).migrate(target);
        RunJournal journal = new RunJournal(settings);
        StepStubs stubs = new StepStubs();
        stubs.learningContentUrl = contentApi.baseUrl() + "/databases/airtable";
        ExecutorService tables = Executors.newCachedThreadPool();
        ExecutorService jobs = Executors.newFixedThreadPool(2);
        beans = new ChainRoutes.Beans(new Runs(journal), new Webhooks(settings, journal), stubs, tables, jobs,
                journal.connections().dataSource());

        // which nodes a successful chain goes through, with each source of the full step
        for (String source : List.of("dump", "file")) {
            Map<String, String> steps = new ConcurrentHashMap<>();
            stubs.backupSource = source;
            ModelCamelContext context = ChainRoutes.create(beans, MAX_RETRY_COUNT, steps);
            try {
                context.start();
                runChain(context);
            } finally {
                context.stop();
            }
            steps.forEach((key, step) -> reached.putIfAbsent(key, new Reach(source, step)));
            assertThat(Db.scalar(target, "SELECT status FROM replication.runs ORDER BY id DESC LIMIT 1")).isEqualTo("succeeded");
        }
        stubs.backupSource = "dump";
        model = ChainRoutes.create(beans, MAX_RETRY_COUNT, null);
        model.start();
        // no CLI connector of Camel's own (its thread raced with the creation of the routes: CamelCli)
        assertThat(model.hasService(org.apache.camel.spi.CliConnector.class)).isNull();
        routeSources = ChainRoutes.routeSources();
        nodes = ChainRoutes.nodes(model).stream().filter(n -> STEP_FILES.contains(n.file())
                || n.routeId().startsWith("step-")).toList();
    }

    @AfterAll
    static void stop() {
        model.stop();
        beans.incrementalTables().shutdownNow();
        beans.incrementalJobs().shutdownNow();
        contentApi.close();
        hookA.close();
        hookB.close();
        TestPostgres.dropDatabase(target);
    }

    static void runChain(ModelCamelContext context) throws Exception {
        ChainTrigger trigger = new ChainTrigger();
        trigger.context(context);
        trigger.run(RunPlan.all(List.of(Step.values())), "test");
    }

    @Test
    void theChainReachesEveryNodeOfTheStepsExceptTheDeadLetters() {
        Set<String> unreachedRoutes = new TreeSet<>();
        for (ChainRoutes.Node node : nodes) {
            if (reach(node).isEmpty() && !inCatch(node)) {
                unreachedRoutes.add(node.routeId());
            }
        }
        // every route is called from a route (none from Java): a chain of stubs reaches all but the dead letters
        assertThat(unreachedRoutes).as("routes with nodes the chain of stubs does not reach")
                .isEqualTo(new TreeSet<>(deadLetterRoutes().keySet()));
    }

    @TestFactory
    Stream<DynamicTest> aFailureAtAnyNodeOfAStepFailsTheStepTheRunAndTheChain() {
        return nodes.stream().map(node -> DynamicTest.dynamicTest(node.key(), () -> failureAt(node)));
    }

    /** The node where a successful chain goes, or the first of its steps (a doTry is not intercepted itself). */
    static Optional<Reach> reach(ChainRoutes.Node node) {
        Reach direct = reached.get(node.key());
        if (direct != null) {
            return Optional.of(direct);
        }
        String position = node.key().substring(0, node.key().indexOf(' ')) + ".";
        return reached.entrySet().stream().filter(e -> e.getKey().startsWith(position)).map(Map.Entry::getValue).findFirst();
    }

    /** A node of a doCatch: it runs only after a failure in its doTry. */
    static boolean inCatch(ChainRoutes.Node node) {
        return node.key().contains(".doCatch");
    }

    /** The first node of the doTry whose doCatch holds this node. */
    static ChainRoutes.Node tryOf(ChainRoutes.Node node) {
        String key = node.key();
        String firstOfTry = key.substring(0, key.indexOf(".doCatch")) + ".0 ";
        return nodes.stream().filter(n -> n.key().startsWith(firstOfTry)).findFirst().orElseThrow();
    }

    /** The step a node belongs to: a step route's own (step-full → full), else the one in which the chain reaches it. */
    static String stepOf(ChainRoutes.Node node) {
        return node.routeId().startsWith("step-") ? node.routeId().substring("step-".length())
                : reach(node).orElseThrow().step();
    }

    /** Dead-letter route id → the first route whose error handler sends to it. */
    static Map<String, String> deadLetterRoutes() {
        Map<String, String> routes = new HashMap<>();
        for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
            if (configuration.getErrorHandler() != null
                    && configuration.getErrorHandler().getErrorHandlerType() instanceof DeadLetterChannelDefinition dlc) {
                String deadLetterRoute = routeConsuming(dlc.getDeadLetterUri());
                model.getRouteDefinitions().stream()
                        .filter(r -> configuration.getId().equals(ChainRoutes.configurationId(model, r.getRouteId())))
                        .findFirst().ifPresent(user -> routes.putIfAbsent(deadLetterRoute, user.getRouteId()));
            }
        }
        return routes;
    }

    static String routeConsuming(String uri) {
        return model.getRouteDefinitions().stream().filter(r -> r.getInput().getEndpointUri().equals(uri))
                .map(RouteDefinition::getRouteId).findFirst().orElseThrow();
    }

    /** A route inside a step that retries on its own (the webhook route), not a step route. */
    static boolean hasOwnErrorHandler(String routeId) {
        return !routeId.startsWith("step-") && ChainRoutes.configurationId(model, routeId) != null;
    }

    /** The attempts a route's error handler makes (its dead letter channel's redeliveries + 1). */
    static int attemptsOf(String routeId) {
        String configurationId = ChainRoutes.configurationId(model, routeId);
        RouteConfigurationDefinition configuration = model.getRouteConfigurationDefinitions().stream()
                .filter(c -> configurationId.equals(c.getId())).findFirst().orElseThrow();
        DeadLetterChannelDefinition dlc = (DeadLetterChannelDefinition) configuration.getErrorHandler().getErrorHandlerType();
        return 1 + Integer.parseInt(model.resolvePropertyPlaceholders(dlc.getRedeliveryPolicy().getMaximumRedeliveries()));
    }

    /** Replaces the node by a throwException (its route restarts); {@link ChainRoutes#restore} undoes it. */
    static void inject(ChainRoutes.Node node, Exception failure) throws Exception {
        String id = "failing-" + node.key().substring(0, node.key().indexOf(' ')).replace('/', '-');
        ChainRoutes.definition(model, node.key()).setId(id);
        AdviceWith.adviceWith(model, node.routeId(), route -> route.weaveById(id).replace().throwException(failure));
    }

    void failureAt(ChainRoutes.Node node) throws Exception {
        Set<String> advised = new HashSet<>(Set.of(node.routeId()));
        try {
            failureAt(node, advised);
        } catch (AssertionError e) {
            throw new AssertionError(node.key() + ": " + e.getMessage(), e);
        } finally {
            ChainRoutes.restore(model, routeSources, advised);
        }
    }

    void failureAt(ChainRoutes.Node node, Set<String> advised) throws Exception {
        String message = "injected failure at " + node.key();
        Map<String, String> deadLetters = deadLetterRoutes();
        inject(node, new IllegalStateException(message));
        String step;
        if (deadLetters.containsKey(node.routeId())) {
            // a dead letter runs only after a failure: make its first user fail too, from its first node
            String user = deadLetters.get(node.routeId());
            ChainRoutes.Node first = nodes.stream().filter(n -> n.routeId().equals(user)).findFirst().orElseThrow();
            inject(first, new IllegalStateException("first failure at " + first.key()));
            advised.add(first.routeId());
            step = stepOf(first);
        } else if (inCatch(node)) {
            // a doCatch runs only after a failure: make its doTry fail too, from its first node
            ChainRoutes.Node first = tryOf(node);
            inject(first, new IllegalStateException("first failure at " + first.key()));
            step = stepOf(first);
        } else {
            step = stepOf(node);
        }
        beans.stubs().backupSource = reach(inCatch(node) ? tryOf(node) : node).map(Reach::backupSource).orElse("dump");
        int hooksBefore = hookA.requests.size() + hookB.requests.size();
        Throwable thrown;
        try {
            thrown = catchThrowable(() -> runChain(model));
        } finally {
            beans.stubs().backupSource = "dump";
        }

        long run = Long.parseLong(Db.scalar(target, "SELECT max(id) FROM replication.runs"));
        assertThat(thrown).as("what the caller (run) gets").isNotNull().hasStackTraceContaining(message);
        assertThat(Db.rows(target, "SELECT status, error FROM replication.runs WHERE id = " + run)).singleElement()
                .satisfies(row -> {
                    assertThat(row.get(0)).isEqualTo("failed");
                    assertThat(row.get(1)).startsWith(step + ": ").contains(message);
                });
        List<List<String>> attempts = Db.rows(target, "SELECT step, status, coalesce(error, '') FROM replication.step_attempts"
                + " WHERE run_id = " + run + " ORDER BY started_at, attempt");
        List<String> expectedBefore = new ArrayList<>();
        for (String earlier : STEPS.subList(0, STEPS.indexOf(step))) {
            expectedBefore.add(earlier + " succeeded");
        }
        assertThat(attempts.subList(0, Math.min(expectedBefore.size(), attempts.size())))
                .extracting(r -> r.get(0) + " " + r.get(1)).containsExactlyElementsOf(expectedBefore);
        List<List<String>> failing = attempts.subList(expectedBefore.size(), attempts.size());
        assertThat(failing).as("attempts of " + step + " (later steps not attempted)").hasSize(attemptsOf("step-" + step))
                .allSatisfy(r -> {
                    assertThat(r.get(0)).isEqualTo(step);
                    assertThat(r.get(1)).isEqualTo("failed");
                    // the step's own dead letter failing comes after the attempts: they hold the first failure
                    boolean stepDeadLetter = deadLetters.getOrDefault(node.routeId(), "").startsWith("step-");
                    assertThat(r.get(2)).contains(stepDeadLetter ? "first failure at" : message);
                });
        List<List<String>> webhooks = Db.rows(target, "SELECT status, attempts::text FROM replication.webhook_results"
                + " WHERE run_id = " + run);
        if (!step.equals("notification")) {
            assertThat(hookA.requests.size() + hookB.requests.size()).as("webhook calls").isEqualTo(hooksBefore);
            assertThat(webhooks).isEmpty();
        } else if (hasOwnErrorHandler(node.routeId())) {
            // each webhook is retried on its own, then the step fails once all were called
            String failed = "failed " + attemptsOf(node.routeId());
            assertThat(webhooks).extracting(r -> r.get(0) + " " + r.get(1)).containsExactly(failed, failed);
            assertThat(failing.get(0).get(2)).contains("2 webhook(s) could not be notified");
        }
    }
}
