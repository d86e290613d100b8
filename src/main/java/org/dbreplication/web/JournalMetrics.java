package org.dbreplication.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool's own metrics on /observe/metrics, beside Camel's, read from the journal every {@value #REFRESH_SECONDS}
 * seconds (Prometheus names):
 * <ul>
 * <li>{@code replication_step_duration_seconds{step}} and {@code replication_step_status{step,status}} (1) — the
 * latest attempt of each step of the last run;
 * <li>{@code replication_last_success_age_seconds} — since the end of the last successful run (absent before one);
 * <li>{@code replication_incremental_rows{table}} — rows copied by the last run of the incremental step (0: nothing new);
 * <li>{@code replication_incremental_lag{table}} — the source's newest key minus the target's watermark (tables in
 * incremental mode, when SOURCE_DATABASE_URL is set in this process);
 * <li>{@code replication_full_copied_bytes} — bytes the last full step sent with COPY;
 * <li>{@code replication_progress_done{step,item}} and {@code replication_progress_expected{step,item}} — the view
 * {@code progress}.
 * </ul>
 */
public class JournalMetrics implements AutoCloseable {

    static final int REFRESH_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(JournalMetrics.class);
    private final Settings settings;
    private final org.dbreplication.journal.JournalConnections connections;
    private final String schema;
    private final MultiGauge stepDuration;
    private final MultiGauge stepStatus;
    private final MultiGauge incrementalRows;
    private final MultiGauge incrementalLag;
    private final MultiGauge progressDone;
    private final MultiGauge progressTotal;
    private volatile double lastSuccessAge = Double.NaN;
    private volatile double fullBytes = Double.NaN;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "journal-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private boolean warned;

    /** {@code connections}: the journal's pool (the web process's one). */
    public JournalMetrics(Settings settings, org.dbreplication.journal.JournalConnections connections, MeterRegistry registry) {
        this.settings = settings;
        this.connections = connections;
        this.schema = Sql.ident(settings.databases().replicationSchema());
        stepDuration = MultiGauge.builder("replication.step.duration").baseUnit("seconds")
                .description("Duration of the latest attempt of each step of the last run").register(registry);
        stepStatus = MultiGauge.builder("replication.step.status")
                .description("1 for the status of the latest attempt of each step of the last run").register(registry);
        incrementalRows = MultiGauge.builder("replication.incremental.rows")
                .description("Rows copied per incremental table by the last run of the incremental step").register(registry);
        incrementalLag = MultiGauge.builder("replication.incremental.lag")
                .description("The source's newest key minus the target's watermark, per incremental table").register(registry);
        progressDone = MultiGauge.builder("replication.progress.done")
                .description("Done so far by each item of the latest run's progress").register(registry);
        progressTotal = MultiGauge.builder("replication.progress.expected")
                .description("Total expected of each item of the latest run's progress").register(registry);
        Gauge.builder("replication.last.success.age", this, m -> m.lastSuccessAge).baseUnit("seconds")
                .description("Seconds since the end of the last successful run").register(registry);
        Gauge.builder("replication.full.copied", this, m -> m.fullBytes).baseUnit("bytes")
                .description("Bytes the last full step copied with COPY").register(registry);
    }

    /** Reads the journal now, then every REFRESH_SECONDS. */
    public void start() {
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    void refresh() {
        try (Connection c = connections.get()) {
            List<MultiGauge.Row<?>> durations = new ArrayList<>();
            List<MultiGauge.Row<?>> statuses = new ArrayList<>();
            for (List<String> row : rows(c, """
                    SELECT DISTINCT ON (a.step) a.step, a.status,
                           extract(epoch FROM coalesce(a.ended_at, now()) - a.started_at)::text
                    FROM %1$s.step_attempts a WHERE a.run_id = (SELECT max(id) FROM %1$s.runs)
                    ORDER BY a.step, a.attempt DESC""")) {
                durations.add(MultiGauge.Row.of(Tags.of("step", row.get(0)), Double.parseDouble(row.get(2))));
                statuses.add(MultiGauge.Row.of(Tags.of("step", row.get(0), "status", row.get(1)), 1));
            }
            stepDuration.register(durations, true);
            stepStatus.register(statuses, true);
            incrementalRows.register(tableRows(rows(c, """
                    SELECT table_name, rows::text FROM %1$s.incremental_results
                    WHERE run_id = (SELECT max(run_id) FROM %1$s.incremental_results)""")), true);
            lastSuccessAge = number(rows(c, "SELECT extract(epoch FROM now() - max(ended_at))::text FROM %1$s.runs"
                    + " WHERE status = 'succeeded'"));
            fullBytes = number(rows(c, "SELECT done::text FROM %1$s.progress_items WHERE step = 'full' AND item = 'bytes'"
                    + " ORDER BY run_id DESC LIMIT 1"));
            List<MultiGauge.Row<?>> done = new ArrayList<>();
            List<MultiGauge.Row<?>> total = new ArrayList<>();
            for (List<String> row : rows(c, "SELECT step, item, done::text, total::text FROM %1$s.progress")) {
                done.add(MultiGauge.Row.of(Tags.of("step", row.get(0), "item", row.get(1)), Double.parseDouble(row.get(2))));
                if (row.get(3) != null) {
                    total.add(MultiGauge.Row.of(Tags.of("step", row.get(0), "item", row.get(1)), Double.parseDouble(row.get(3))));
                }
            }
            progressDone.register(done, true);
            progressTotal.register(total, true);
            incrementalLag.register(IncrementalLag.of(settings, rows(c, """
                    SELECT table_schema, table_name, key_column, copied_through::text FROM %1$s.incremental_checkpoints
                    WHERE mode = 'incremental' AND copied_through IS NOT NULL""")), true);
            warned = false;
        } catch (SQLException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("cannot read the journal for the metrics: {}", Connections.firstLineOf(String.valueOf(e.getMessage())));
            }
        }
    }

    private static List<MultiGauge.Row<?>> tableRows(List<List<String>> rows) {
        return rows.stream().<MultiGauge.Row<?>>map(r -> MultiGauge.Row.of(Tags.of("table", r.get(0)),
                Double.parseDouble(r.get(1)))).toList();
    }

    private static double number(List<List<String>> rows) {
        return rows.isEmpty() || rows.get(0).get(0) == null ? Double.NaN : Double.parseDouble(rows.get(0).get(0));
    }

    private List<List<String>> rows(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.formatted(schema)); ResultSet rs = ps.executeQuery()) {
            return Sql.textRows(rs);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
