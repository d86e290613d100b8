package org.dbreplication.web;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.dbreplication.chain.Step;
import org.dbreplication.config.Settings;
import org.dbreplication.config.WebSettings;
import org.dbreplication.journal.ReplayRequests;
import org.dbreplication.journal.ReplicationSchema;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.runtime.ReplicationControl;
import org.dbreplication.runtime.RouteFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web process (the Procfile's "web"): Camel's own HTTP server on PORT with the status page and its API
 * (routes/web.yaml), {@code /observe/health} (liveness: the process; readiness: the journal and the last run),
 * {@code /observe/metrics} (Prometheus: Camel's and {@link JournalMetrics}) and {@code /observe/jolokia} (JMX over
 * HTTP for hawtio, restricted by jolokia-access.xml). Everything but {@code /observe/health/live} needs HTTP basic
 * auth with WEB_USER / WEB_PASSWORD; without them the server only starts bound to this machine.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final String LIVENESS = "/observe/health/live";
    private final Main main;
    private final JournalMetrics metrics;
    private final Path credentials;
    private final org.apache.camel.spi.CliConnector cli;
    private final RunJournal journal;

    private WebServer(Main main, JournalMetrics metrics, Path credentials, org.apache.camel.spi.CliConnector cli,
                      RunJournal journal) {
        this.journal = journal;
        this.main = main;
        this.metrics = metrics;
        this.credentials = credentials;
        this.cli = cli;
    }

    /**
     * Starts the server.
     *
     * @throws org.dbreplication.config.ConfigException naming WEB_USER / WEB_PASSWORD / WEB_HOST at fault
     */
    public static WebServer start(Settings settings) throws Exception {
        WebSettings web = settings.web();
        web.requireSafe();
        Main main = new Main();
        main.configure().setRoutesIncludePattern(RouteFiles.includePattern(settings.runtime().replicationEnv(), settings.runtime().routesDir(),
                RouteFiles.WEB));
        main.addInitialProperty("camel.main.name", "db-replication-web");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", web.host());
        main.addInitialProperty("camel.server.port", Integer.toString(web.port()));
        // the management services on the same server and port (Camel then shares one server and its authentication)
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.host", web.host());
        main.addInitialProperty("camel.management.port", Integer.toString(web.port()));
        main.addInitialProperty("camel.management.health-check-enabled", "true");
        main.addInitialProperty("camel.management.metrics-enabled", "true");
        main.addInitialProperty("camel.management.jolokia-enabled", "true");
        main.addInitialProperty("camel.metrics.enabled", "true");
        // the checks' messages too (why not ready: the journal, the failed run), never a secret (masked)
        main.addInitialProperty("camel.health.exposure-level", "full");
        Path credentials = null;
        if (web.authenticated()) {
            credentials = credentialsFile(web);
            main.addInitialProperty("camel.server.authentication-enabled", "true");
            // Camel 4.18 answered 200 with authentication enabled until a path was set: set it, and test it
            main.addInitialProperty("camel.server.authentication-path", "/*");
            main.addInitialProperty("camel.server.basic-properties-file", credentials.toString());
        }

        RunJournal journal = new RunJournal(settings);
        ReplayRequests requests = new ReplayRequests(settings, journal.connections());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind(org.dbreplication.runtime.CamelCli.FACTORY_BEAN, org.dbreplication.runtime.CamelCli.automaticConnectorOff());
        main.bind("metricsRegistry", registry);
        main.bind("statusApi", new StatusApi(settings, requests, journal.connections()));
        main.bind("statusPage", new StatusPage());
        org.dbreplication.runtime.CamelCli.prepare(main);
        try {
            new ReplicationSchema(settings).migrate(settings.databases().targetUrl());
        } catch (RuntimeException e) {
            // the page and the probes still start: readiness says the journal is unreachable until it is back
            LOG.warn("cannot create or upgrade the journal's schema now: {}", e.getMessage());
        }
        main.start();
        CamelContext context = main.getCamelContext();
        context.getShutdownStrategy().setTimeout(4);
        HealthCheckRegistry.get(context).register(new JournalReadiness(journal));
        openLiveness(context, web.port());
        org.apache.camel.spi.CliConnector cli = org.dbreplication.runtime.CamelCli.start(context);
        new ReplicationControl(() -> java.util.List.of(Step.values()), requests, journal, "jolokia").register();
        JournalMetrics metrics = new JournalMetrics(settings, journal.connections(), registry);
        metrics.start();
        LOG.info("web server on {}:{}: / (status page), /api/…, /observe/health, /observe/metrics, /observe/jolokia ({})",
                web.host(), web.port(), web.authenticated() ? "HTTP basic auth as " + web.user().get()
                        : "no credentials: this machine only");
        return new WebServer(main, metrics, credentials, cli, journal);
    }

    /**
     * The liveness probe answers without credentials (a PaaS probe has none): a route ordered before the
     * authentication handlers, answering as Camel's own liveness check.
     */
    private static void openLiveness(CamelContext context, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.route(LIVENESS).order(-1000).blockingHandler(ctx -> {
            boolean up = HealthCheckHelper.invokeLiveness(context).stream()
                    .allMatch(r -> r.getState() != HealthCheck.State.DOWN);
            ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}");
        });
    }

    /** Vert.x reads the credentials from a properties file: one of our own, readable by this user only, removed at close. */
    private static Path credentialsFile(WebSettings web) throws IOException {
        Path file = Files.createTempFile("db-replication-web-", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        file.toFile().deleteOnExit();
        Files.writeString(file, "user." + web.user().get() + "=" + web.password().get() + ",operator\nrole.operator=*\n",
                StandardCharsets.UTF_8);
        return file;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Blocks until the process is asked to stop (SIGTERM). */
    public void awaitShutdown() throws InterruptedException {
        while (!main.isStopped() && main.getCamelContext().isStarted() && main.getShutdownStrategy().isRunAllowed()) {
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws Exception {
        metrics.close();
        org.dbreplication.runtime.CamelCli.stop(cli);
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName(ReplicationControl.NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } finally {
            main.stop();
            journal.close();
            if (credentials != null) {
                Files.deleteIfExists(credentials);
            }
        }
    }

    /** For the log of a test: the routes this server runs. */
    String routes() {
        return main.getCamelContext().getRoutes().stream().map(r -> r.getRouteId()).collect(Collectors.joining(", "));
    }
}
