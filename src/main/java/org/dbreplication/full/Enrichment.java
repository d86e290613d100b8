package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.TableRef;
import org.dbreplication.runtime.ClasspathFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the enrichment statements (indexes for analysts). They are data: one SQL file per
 * statement, whose first line {@code -- table: <name>} names the table it needs; built in under
 * {@code sql/enrichment/}, plus the {@code *.sql} files of ENRICHMENT_DIR. A statement is skipped when its table is
 * kept (BACKUP_MODE) or absent.
 *
 * <p>In a copy from the source, a statement that is one index build ({@code CREATE [UNIQUE] INDEX}, not
 * {@code CONCURRENTLY}) joins the data load ({@link #scheduleIndexBuilds}): it is built as soon as its table's rows,
 * indexes and constraints are in, beside the other tables' copies, instead of after the whole load. An index build
 * reads only its table, and the lock it takes (SHARE) makes it wait for a COPY into that table, so it cannot see
 * half of its rows. Every other statement, and every statement of a copy from a backup archive, runs after the
 * compatibility view ({@link #apply}), PG_RESTORE_JOBS at a time. {@link #apply} fails naming every statement that
 * failed, during the load or after it.
 */
public class Enrichment {

    private static final Logger LOG = LoggerFactory.getLogger(Enrichment.class);
    private static final Pattern TABLE = Pattern.compile("^--\\s*table:\\s*(.+?)\\s*$", Pattern.MULTILINE);
    private final Settings settings;
    private final PgCommands commands;

    /** One enrichment file: its name (e.g. {@code 30-answers-challenge-id.sql}), the table it needs, its SQL. */
    record Statement(String name, TableRef table, String sql) {

        /** Whether the file holds one {@code CREATE [UNIQUE] INDEX} statement, not {@code CONCURRENTLY}. */
        boolean isIndexBuild() {
            List<SqlTokens.Token> words = SqlTokens.of(sql).stream().filter(SqlTokens.Token::isSignificant).toList();
            int at = 0;
            if (words.size() < 3 || !words.get(at++).isWord("create")) {
                return false;
            }
            if (words.get(at).isWord("unique")) {
                at++;
            }
            if (!words.get(at++).isWord("index") || at >= words.size() || words.get(at).isWord("concurrently")) {
                return false;
            }
            // one statement: nothing but a last semicolon after the first one
            for (int i = at; i < words.size(); i++) {
                if (words.get(i).isPunct(';') && i < words.size() - 1) {
                    return false;
                }
            }
            return true;
        }
    }

    public Enrichment(Settings settings, PgCommands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    /**
     * Route {@code full-from-source}, before the data load: the statements that are index builds of a copied table
     * (not kept, in the restore plan) join the load ({@link EnrichmentBuilds}); the others wait for {@link #apply}.
     */
    public void scheduleIndexBuilds(Exchange exchange) throws Exception {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        java.util.Set<TableRef> copied = new java.util.HashSet<>();
        run.plan().tables().forEach(t -> copied.add(t.table().ref()));
        List<Statement> builds = statements().stream()
                .filter(s -> copied.contains(s.table()) && !settings.full().backupModes().isKept(s.table()) && s.isIndexBuild())
                .toList();
        run.enrichmentBuilds(new EnrichmentBuilds(builds));
        if (builds.isEmpty()) {
            LOG.info("enrichment: no index build joins the data load");
        } else {
            LOG.info("enrichment: {} index builds join the data load: {}", v("statements", builds.size()),
                    v("items", builds.stream().map(Statement::name).collect(java.util.stream.Collectors.joining(", "))));
        }
    }

    /**
     * Route {@code full}, after the compatibility view: runs the statements that did not join the load, then fails
     * when any statement failed, here or during the load.
     *
     * @throws SQLException naming every failed statement ({@code enrichment <file> failed: ERROR: …}), joined by "; "
     */
    public void apply(Exchange exchange) throws Exception {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        EnrichmentBuilds inLoad = run.enrichmentBuilds();
        List<Statement> statements = statements().stream().filter(s -> !inLoad.contains(s)).toList();
        LOG.info("enrichment.add - Started: {} ({} built during the data load)", v("statements", statements.size()),
                v("built_in_load", inLoad.size()));
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
        List<SQLException> failures = new ArrayList<>(inLoad.failures());
        failures.addAll(runInParallel(runnable, run));
        LOG.info("enrichment.add - Ended: {} in {} ms", v("statements", runnable.size()),
                v("duration_ms", java.time.Duration.between(start, Instant.now()).toMillis()));
        if (!failures.isEmpty()) {
            SQLException failure = new SQLException(failures.stream().map(SQLException::getMessage)
                    .collect(java.util.stream.Collectors.joining("; ")), failures.get(0).getSQLState());
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Runs the statements PG_RESTORE_JOBS at a time, each to its end; returns the failures. */
    private List<SQLException> runInParallel(List<Statement> statements, FullRun run) throws Exception {
        String step = MDC.get("step");
        List<SQLException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.full().restoreJobs(), statements.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Statement statement : statements) {
                futures.add(pool.submit(() -> {
                    if (step != null) {
                        MDC.put("step", step);
                    }
                    try {
                        build(statement, run);
                    } catch (SQLException e) {
                        failures.add(e);
                    }
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
        return failures;
    }

    /**
     * Runs one statement on a connection of its own, with the restore's session settings (maintenance_work_mem…),
     * on the new copy's names, and records it for the report.
     *
     * @throws SQLException {@code enrichment <file> failed: <the server's message>}
     */
    void build(Statement statement, FullRun run) throws SQLException {
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

    /**
     * The enrichment files: those of {@code sql/enrichment/} in the jar, then those of ENRICHMENT_DIR, each set in
     * name order.
     *
     * @throws IllegalStateException naming a file whose first line does not name its table
     */
    List<Statement> statements() throws IOException {
        List<Statement> statements = new ArrayList<>();
        for (String name : ClasspathFolder.names("sql/enrichment", ".sql")) {
            try (InputStream in = Enrichment.class.getClassLoader().getResourceAsStream("sql/enrichment/" + name)) {
                statements.add(statement("classpath:sql/enrichment/" + name, name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        if (settings.full().enrichmentDir().isPresent()) {
            Path dir = settings.full().enrichmentDir().get().toAbsolutePath();
            for (String name : ClasspathFolder.fileNames(dir, ".sql")) {
                statements.add(statement(dir.resolve(name).toString(), name, Files.readString(dir.resolve(name))));
            }
        }
        return statements;
    }

    private static Statement statement(String location, String name, String sql) {
        Matcher m = TABLE.matcher(sql);
        if (!m.find()) {
            throw new IllegalStateException("enrichment file " + location
                    + " must start with a line '-- table: <table name>' naming the table it needs");
        }
        return new Statement(name, TableRef.publicTable(m.group(1)), sql);
    }
}
