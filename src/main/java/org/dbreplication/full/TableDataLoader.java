package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.CopyStream;
import org.dbreplication.pg.RowSecurity;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Loads the rows of every copied table straight from the source snapshot into the target with COPY (binary when
 * both servers share a major version), PG_RESTORE_JOBS at a time, never holding rows in memory; builds each table's
 * indexes and constraints ({@link PostDataItems}) as soon as its rows are in, then the enrichment's index builds
 * of that table ({@link EnrichmentBuilds}), whose failures are kept for the enrichment's finishing part.
 */
public class TableDataLoader {

    private static final Logger LOG = LoggerFactory.getLogger(TableDataLoader.class);
    private static final long SMALL_TABLE_BYTES = 64L << 20;
    private final Settings settings;
    private final PostDataItems postData;
    private final Enrichment enrichment;

    public TableDataLoader(Settings settings, PostDataItems postData, Enrichment enrichment) {
        this.settings = settings;
        this.postData = postData;
        this.enrichment = enrichment;
    }

    public void load(Exchange exchange) throws Exception {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        RestorePlan plan = run.plan();
        SourceSnapshot snapshot = run.snapshot();
        boolean binary;
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            binary = org.dbreplication.pg.PgTools.serverMajorVersion(target) == snapshot.serverMajorVersion();
        }
        LoadScheduler scheduler = new LoadScheduler(plan.tables(), settings.full().copySplitBytes(),
                snapshot.serverMajorVersion() >= 14, SMALL_TABLE_BYTES, run.enrichmentBuilds());
        int jobs = settings.full().restoreJobs();
        long estimatedRows = plan.tables().stream().mapToLong(t -> t.table().estimatedRows()).anyMatch(r -> r < 0) ? -1
                : plan.tables().stream().mapToLong(t -> t.table().estimatedRows()).sum();
        run.estimates(scheduler.parts(), estimatedRows, plan.tables().stream().mapToLong(t -> t.table().bytes()).sum(),
                plan.tables().stream().mapToLong(t -> t.constraints().size() + t.indexes().size()).sum()
                        + plan.remainingPostData().size() + run.enrichmentBuilds().size());
        Instant start = Instant.now();
        LOG.info("loading {} tables with {} parallel jobs ({} COPY)", v("tables", plan.tables().size()),
                v("jobs", jobs), binary ? "binary" : "text");
        AtomicInteger listNumber = new AtomicInteger();
        String step = MDC.get("step");
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(r, "full-load-" + listNumber.incrementAndGet()));
        try {
            List<Future<?>> workers = new ArrayList<>();
            // one source connection is the snapshot's: the others may read the source, SOURCE_MAX_JOBS in all
            int readers = Math.max(1, Math.min(jobs, settings.databases().sourceMaxJobs() - 1));
            for (int i = 0; i < jobs; i++) {
                boolean mayCopy = i < readers;
                workers.add(pool.submit(() -> work(scheduler, run, binary, step, mayCopy)));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        if (scheduler.failure() != null) {
            throw scheduler.failure();
        }
        long rows = run.items().all().stream().filter(i -> i.category().equals("TABLE DATA")).mapToLong(RestoreItem::rows).sum();
        LOG.info("tables loaded and indexed: {} rows in {} ms", v("rows", rows),
                v("duration_ms", java.time.Duration.between(start, Instant.now()).toMillis()));
    }

    private void work(LoadScheduler scheduler, FullRun run, boolean binary, String step, boolean mayCopy) {
        if (step != null) {
            MDC.put("step", step);
        }
        Connection source = null;
        Connection target = null;
        Connection items = null;
        try {
            LoadScheduler.Task task;
            while ((task = scheduler.next(mayCopy)) != null) {
                try {
                    if (task instanceof LoadScheduler.CopyPart part) {
                        if (source == null) {
                            source = run.snapshot().openReader();
                            target = openTarget();
                        }
                        copy(part, source, target, binary, run);
                    } else if (task instanceof LoadScheduler.PostData post) {
                        if (items == null) {
                            items = postData.open(run);
                        }
                        for (TocEntry item : post.entries()) {
                            postData.restore(items, item, run);
                        }
                    } else if (task instanceof LoadScheduler.EnrichmentBuild build) {
                        try {
                            enrichment.build(build.statement(), run);
                        } catch (SQLException e) {
                            // reported by the enrichment's finishing part (route full): the load goes on
                            LOG.warn("{} (the load goes on; the step fails after it)", v("error", e.getMessage()));
                            run.enrichmentBuilds().failed(e);
                        }
                    }
                    scheduler.done(task);
                } catch (Exception e) {
                    scheduler.failed(e);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.failed(e);
        } catch (RuntimeException e) {
            scheduler.failed(e);
        } finally {
            SourceSnapshot.closeQuietly(source);
            SourceSnapshot.closeQuietly(target);
            SourceSnapshot.closeQuietly(items);
        }
    }

    private Connection openTarget() throws SQLException {
        Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
        try (Statement st = target.createStatement()) {
            // a crash loses at most the last commits, which the next run redoes anyway
            st.execute("SET synchronous_commit = off");
        }
        return target;
    }

    private void copy(LoadScheduler.CopyPart part, Connection source, Connection target, boolean binary, FullRun run)
            throws SQLException {
        SourceCatalog.SourceTable table = part.plan().table();
        if (table.columns().isEmpty()) {
            return;
        }
        String columns = table.columns().stream().map(Sql::ident).collect(Collectors.joining(", "));
        String format = binary ? " (FORMAT binary)" : "";
        String read = part.whole()
                ? "COPY " + table.ref().quoted() + " (" + columns + ") TO STDOUT" + format
                : "COPY (SELECT " + columns + " FROM ONLY " + table.ref().quoted()
                  + " WHERE ctid >= '(" + part.fromPage() + ",0)'::tid"
                  + (part.toPage() < 0 ? "" : " AND ctid < '(" + part.toPage() + ",0)'::tid") + ") TO STDOUT" + format;
        // into the new copy's table (its own name, or the new copy's schema when it is built aside)
        String write = "COPY " + run.names().tableOf(table.ref()).quoted() + " (" + columns + ") FROM STDIN" + format;
        Instant start = Instant.now();
        long rows;
        try {
            CopyStream.Counts counts = CopyStream.copyCounting(source, read, target, write, run.meter());
            run.copied(table.ref(), counts.read(), counts.written());
            rows = counts.written();
        } catch (SQLException e) {
            throw new SQLException("copy of " + table.ref() + " failed: " + RowSecurity.explain(e.getMessage()), e.getSQLState(), e);
        }
        String name = table.ref() + (part.whole() ? "" : " [part " + part.index() + "/" + part.count() + "]");
        run.items().add(new RestoreItem("TABLE DATA", name, start, Instant.now(), rows));
        long millis = Math.max(1, java.time.Duration.between(start, Instant.now()).toMillis());
        LOG.info("table data copied: {} {} rows in {} ms ({} rows/s)", v("table", name), v("rows", rows),
                v("duration_ms", millis), v("rows_per_s", rows * 1000 / millis));
    }
}
