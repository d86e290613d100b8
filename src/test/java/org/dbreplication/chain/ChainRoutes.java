package org.dbreplication.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.CatchDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.FinallyDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.dbreplication.incremental.ChunkTotals;
import org.dbreplication.notification.Webhooks;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A CamelContext holding the real YAML routes of routes/ (all but schedule.yaml and web.yaml), configured as the camel-main
 * process configures them, with the real run journal and webhooks and {@link StepStubs} for the other beans.
 * Each processor node of the routes has a stable name ({@link Node#key()}: route id, position, kind), so that a node
 * found in one context can be found again in a fresh one.
 */
final class ChainRoutes {

    /** One processor node of a route: {@code key} is "route/position kind", e.g. "full/1.0 choice". */
    record Node(String routeId, String key, String file) {
    }

    /** What the contexts share: the beans that are not stubs, and the thread pools of the incremental splits. */
    record Beans(Runs runs, Webhooks webhooks, StepStubs stubs, ExecutorService incrementalTables,
                 ExecutorService incrementalJobs, javax.sql.DataSource journalDataSource) {
    }

    private ChainRoutes() {
    }

    /**
     * A context, not started, with every route loaded. {@code reached} (may be null) collects the key of every node
     * an exchange goes through once the context runs, with the step (exchange property) that first reached it.
     */
    static ModelCamelContext create(Beans beans, int maxRetryCount, Map<String, String> reached) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        // as the runtime does: no CLI connector of Camel's own racing with the creation of the routes (CamelCli)
        context.getCamelContextExtension().addContextPlugin(org.apache.camel.spi.CliConnectorFactory.class,
                org.dbreplication.runtime.CamelCli.automaticConnectorOff());
        // as application.properties configures the process
        context.setStreamCaching(false);
        context.setUseMDCLogging(true);
        context.setMDCLoggingKeysPattern("step,run_id");
        Properties properties = new Properties();
        properties.setProperty("replication.pg-tool-timeout-ms", "60000");
        properties.setProperty("replication.step-redeliveries", Integer.toString(maxRetryCount - 1));
        properties.setProperty("replication.retry-delay-ms", "1");
        properties.setProperty("replication.max-retry-delay-ms", "4");
        properties.setProperty("replication.schema-export-scheduled", "false");
        properties.setProperty("replication.journal-schema", "replication");
        context.getPropertiesComponent().setInitialProperties(properties);

        ChainBeans.bind(context.getRegistry()::bind, beans.runs());
        context.getRegistry().bind("webhooks", beans.webhooks());
        context.getRegistry().bind("journalDataSource", beans.journalDataSource());
        context.getRegistry().bind("webhookRetried", new Webhooks.Retried());
        context.getRegistry().bind("processExecutor", new StepStubs.SucceedingExecutor());
        context.getRegistry().bind("chunkTotals", new ChunkTotals());
        context.getRegistry().bind("finishingErrors", new StepStubs.FinishingErrorsStub());
        context.getRegistry().bind("incrementalTables", beans.incrementalTables());
        context.getRegistry().bind("incrementalJobs", beans.incrementalJobs());
        for (String name : StepStubs.NAMES) {
            context.getRegistry().bind(name, beans.stubs());
        }

        // as camel-main does with the intercept strategies of its registry
        context.getRegistry().findByType(InterceptStrategy.class)
                .forEach(context.getCamelContextExtension()::addInterceptStrategy);

        List<Resource> files = new ArrayList<>();
        for (Path file : routeFiles()) {
            files.add(PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(files);
        if (reached != null) {
            Map<NamedNode, String> keys = new IdentityHashMap<>();
            walk(context, (definition, node) -> keys.put(definition, node.key()));
            context.getCamelContextExtension().addInterceptStrategy(new Recorder(keys, reached));
        }
        return context;
    }

    /** Each route's definition as its file gives it (a one-route YAML list), by route id. */
    static Map<String, String> routeSources() {
        Map<String, String> sources = new LinkedHashMap<>();
        Load load = new Load(LoadSettings.builder().build());
        Dump dump = new Dump(DumpSettings.builder().build());
        for (Path file : routeFiles()) {
            try {
                for (Object item : (List<?>) load.loadFromString(Files.readString(file))) {
                    if (item instanceof Map<?, ?> element && element.get("route") instanceof Map<?, ?> route) {
                        sources.put((String) route.get("id"), dump.dumpToString(List.of(item)));
                    } else if (item instanceof Map<?, ?> element && element.get("templatedRoute") instanceof Map<?, ?> route) {
                        sources.put((String) route.get("routeId"), dump.dumpToString(List.of(item)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** Puts these routes back as their files define them (each restarts alone, the others keep running). */
    static void restore(CamelContext context, Map<String, String> sources, java.util.Collection<String> routeIds)
            throws Exception {
        List<Resource> routes = new ArrayList<>();
        List<Resource> templated = new ArrayList<>();
        for (String id : routeIds) {
            Resource resource = ResourceHelper.fromString(id + ".yaml", sources.get(id));
            if (sources.get(id).contains("templatedRoute")) {
                // made from a template: removed, then made again from the template as its file says
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
                templated.add(resource);
            } else {
                routes.add(resource);
            }
        }
        PluginHelper.getRoutesLoader(context).updateRoutes(routes);
        PluginHelper.getRoutesLoader(context).loadRoutes(templated);
    }

    /**
     * The route configuration (error-handling.yaml) a route uses; a route made from a template names it with a
     * parameter ({@code {{errorHandling}}}), resolved here from the route's template parameters.
     */
    static String configurationId(ModelCamelContext context, String routeId) {
        RouteDefinition route = context.getRouteDefinition(routeId);
        String id = route.getRouteConfigurationId();
        if (id != null && route.getTemplateParameters() != null) {
            for (Map.Entry<String, Object> parameter : route.getTemplateParameters().entrySet()) {
                id = id.replace("{{" + parameter.getKey() + "}}", String.valueOf(parameter.getValue()));
            }
        }
        return id;
    }

    /** The route files the process loads, except the schedule (only the background process has it). */
    static List<Path> routeFiles() {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("schedule.yaml")
                    && !f.getFileName().toString().equals("web.yaml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every processor node of every route, in route order (the clauses when, otherwise, doFinally excluded). */
    static List<Node> nodes(ModelCamelContext context) {
        List<Node> nodes = new ArrayList<>();
        walk(context, (definition, node) -> nodes.add(node));
        return nodes;
    }

    /** The definition of a node in this context. */
    static ProcessorDefinition<?> definition(ModelCamelContext context, String key) {
        Map<String, ProcessorDefinition<?>> found = new LinkedHashMap<>();
        walk(context, (definition, node) -> found.put(node.key(), definition));
        ProcessorDefinition<?> definition = found.get(key);
        if (definition == null) {
            throw new IllegalStateException("no node " + key);
        }
        return definition;
    }

    private interface Visitor {
        void visit(ProcessorDefinition<?> definition, Node node);
    }

    private static void walk(ModelCamelContext context, Visitor visitor) {
        for (RouteDefinition route : context.getRouteDefinitions()) {
            String file = route.getResource() == null ? "" : Path.of(route.getResource().getLocation()).getFileName().toString();
            walk(route.getRouteId(), file, "", route.getOutputs(), visitor);
        }
    }

    private static void walk(String routeId, String file, String prefix, List<ProcessorDefinition<?>> outputs, Visitor visitor) {
        for (int i = 0; i < outputs.size(); i++) {
            ProcessorDefinition<?> definition = outputs.get(i);
            String position = prefix.isEmpty() ? Integer.toString(i) : prefix + "." + i;
            if (definition instanceof FinallyDefinition || definition instanceof CatchDefinition) {
                continue; // a clause, not a processor: walked with its doTry below
            }
            visitor.visit(definition, new Node(routeId, routeId + "/" + position + " " + definition.getShortName()
                    + label(definition), file));
            if (definition instanceof TryDefinition doTry) {
                walk(routeId, file, position, doTry.getOutputs(), visitor);
                for (int c = 0; c < doTry.getCatchClauses().size(); c++) {
                    walk(routeId, file, position + ".doCatch" + c, doTry.getCatchClauses().get(c).getOutputs(), visitor);
                }
                if (doTry.getFinallyClause() != null) {
                    walk(routeId, file, position + ".doFinally", doTry.getFinallyClause().getOutputs(), visitor);
                }
            } else if (definition instanceof ChoiceDefinition choice) {
                // the clauses (when, otherwise) are not processors; their steps are
                for (int w = 0; w < choice.getWhenClauses().size(); w++) {
                    walk(routeId, file, position + ".when" + w, choice.getWhenClauses().get(w).getOutputs(), visitor);
                }
                if (choice.getOtherwise() != null) {
                    walk(routeId, file, position + ".otherwise", choice.getOtherwise().getOutputs(), visitor);
                }
            } else {
                walk(routeId, file, position, definition.getOutputs(), visitor);
            }
        }
    }

    private static String label(ProcessorDefinition<?> definition) {
        String label = definition.getLabel();
        return label == null || label.isBlank() ? "" : " " + label;
    }

    /** Records the node of each processor an exchange enters (coverage of the chain runs). */
    private record Recorder(Map<NamedNode, String> keys, Map<String, String> reached) implements InterceptStrategy {
        @Override
        public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                     Processor nextTarget) {
            String key = keys.get(definition);
            if (key == null) {
                return target;
            }
            return new DelegateAsyncProcessor(target) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    reached.putIfAbsent(key, exchange.getProperty(Runs.STEP, "", String.class));
                    return super.process(exchange, callback);
                }
            };
        }
    }
}
