package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the enrichment statements (indexes for analysts) after the restore. They are data: one SQL file per
 * statement, whose first line {@code -- table: <name>} names the table it needs; built in under
 * {@code sql/enrichment/}, plus the {@code *.sql} files of ENRICHMENT_DIR. A statement is skipped when its table is
 * kept (BACKUP_MODE) or absent. Statements run PG_RESTORE_JOBS at a time.
 */
public class Enrichment {

    private static final Logger LOG = LoggerFactory.getLogger(Enrichment.class);
    private static final Pattern TABLE = Pattern.compile("^--\\s*table:\\s*(.+?)\\s*$", Pattern.MULTILINE);
    private final Settings settings;
    private final PgCommands commands;

    record Statement(String name, TableRef table, String sql) {
    }

    public Enrichment(Settings settings, PgCommands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    public void apply(Exchange exchange) throws Exception {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        List<Statement> statements = statements(exchange);
        LOG.info("enrichment.add - Started: {}", v("statements", statements.size()));
        Instant start = Instant.now();
        List<Statement> runnable = new ArrayList<>();
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             PreparedStatement exists = target.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            for (Statement statement : statements) {
                if (settings.full().backupModes().isKept(statement.table())) {
                    LOG.info("enrichment {} skipped: {} is kept out of the full copy", v("item", statement.name()),
                            v("table", statement.table().toString()));
                    continue;
                }
                exists.setString(1, run.names().tableOf(statement.table()).quoted());
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        LOG.warn("enrichment {} skipped: table {} does not exist", v("item", statement.name()),
                                v("table", statement.table().toString()));
                        continue;
                    }
                }
                runnable.add(statement);
            }
        }
        runInParallel(runnable, run);
        LOG.info("enrichment.add - Ended: {} in {} ms", v("statements", runnable.size()),
                v("duration_ms", java.time.Duration.between(start, Instant.now()).toMillis()));
    }

    private void runInParallel(List<Statement> statements, FullRun run) throws Exception {
        String step = MDC.get("step");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.full().restoreJobs(), statements.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Statement statement : statements) {
                futures.add(pool.submit(() -> {
                    if (step != null) {
                        MDC.put("step", step);
                    }
                    execute(statement, run);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void execute(Statement statement, FullRun run) throws SQLException {
        Instant start = Instant.now();
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             PreparedStatement set = target.prepareStatement("SELECT pg_catalog.set_config(?, ?, false)");
             java.sql.Statement st = target.createStatement()) {
            for (var setting : commands.restoreSessionSettings().entrySet()) {
                set.setString(1, setting.getKey());
                set.setString(2, setting.getValue());
                set.execute();
            }
            st.execute(run.names().rewrite(statement.sql()));
        } catch (SQLException e) {
            throw new SQLException("enrichment " + statement.name() + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
        run.items().add(new RestoreItem("ENRICHMENT", statement.name(), start, Instant.now(), -1));
    }

    List<Statement> statements(Exchange exchange) throws Exception {
        var resolver = PluginHelper.getPackageScanResourceResolver(exchange.getContext());
        List<Resource> resources = new ArrayList<>(sorted(resolver.findResources("classpath:sql/enrichment/*.sql")));
        if (settings.full().enrichmentDir().isPresent()) {
            resources.addAll(sorted(resolver.findResources("file:" + settings.full().enrichmentDir().get().toAbsolutePath() + "/*.sql")));
        }
        List<Statement> statements = new ArrayList<>();
        for (Resource resource : resources) {
            String sql;
            try (InputStream in = resource.getInputStream()) {
                sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String name = resource.getLocation().substring(resource.getLocation().lastIndexOf('/') + 1);
            Matcher m = TABLE.matcher(sql);
            if (!m.find()) {
                throw new IllegalStateException("enrichment file " + resource.getLocation()
                        + " must start with a line '-- table: <table name>' naming the table it needs");
            }
            statements.add(new Statement(name, TableRef.publicTable(m.group(1)), sql));
        }
        return statements;
    }

    private static List<Resource> sorted(Collection<Resource> resources) {
        return resources.stream().sorted(Comparator.comparing(r -> r.getLocation().substring(r.getLocation().lastIndexOf('/') + 1)))
                .toList();
    }
}
