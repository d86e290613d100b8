package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.chain.Runs;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.WorkDirectory;
import org.dbreplication.pg.PgTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Beginning and end of one full step: its work directory (archives, lists, scripts, passfile — removed at the end,
 * also on failure), the source snapshot, the check that pg_dump/pg_restore can handle both servers, and the
 * milestones logged with their durations.
 */
public class FullRuns {

    private static final Logger LOG = LoggerFactory.getLogger(FullRuns.class);
    private final Settings settings;
    private final PgTools tools;
    private final RunJournal journal;
    private final org.dbreplication.journal.ProgressRecorder progress;

    public FullRuns(Settings settings, PgTools tools, RunJournal journal, org.dbreplication.journal.ProgressRecorder progress) {
        this.settings = settings;
        this.tools = tools;
        this.journal = journal;
        this.progress = progress;
    }

    public void start(Exchange exchange) {
        MDC.put("step", "full");
        boolean fromSource = settings.backup().source() == org.dbreplication.config.BackupSource.DUMP;
        java.nio.file.Path workDir = settings.runtime().workDir();
        WorkDirectory work = fromSource
                ? WorkDirectory.create(workDir, "full-", settings.databases().sourceUrl(), settings.databases().targetUrl())
                : WorkDirectory.create(workDir, "full-", settings.databases().targetUrl());
        FullRun run = new FullRun(work);
        run.runId(exchange.getProperty(Runs.RUN_ID, 0L, Long.class));
        exchange.setProperty(FullRun.PROPERTY, run);
        progress.begin(exchange.getProperty(Runs.RUN_ID, 0L, Long.class), "full", run::progress);
        exchange.setProperty(FullRun.BACKUP_SOURCE, settings.backup().source().setting());
        LOG.info("Start create Backup: {} -> {}", v("source", fromSource ? settings.databases().sourceUrl().toString()
                        : "backup (BACKUP_SOURCE=" + settings.backup().source().setting() + ")"),
                v("target", settings.databases().targetUrl().toString()));
    }

    /** Archive mode: obtains the backup (file, download, the PaaS's backup of the day) and finds the dump in it. */
    public void fetchBackup(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws Exception {
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            tools.checkCanHandle(target, settings.databases().targetUrl());
        }
        java.nio.file.Path given = switch (settings.backup().source()) {
            case FILE -> settings.backup().file().orElseThrow();
            case URL -> {
                String url = settings.backup().url().orElseThrow();
                yield Download.to(url, Download.shown(url), settings.backup().urlAuthorization(),
                        run.directory().resolve("backup.download"));
            }
            case SCALINGO -> {
                String link = new ScalingoBackups(settings).latestBackupOfTheDay();
                yield Download.to(link, Download.shown(link), java.util.Optional.empty(), run.directory().resolve("backup.download"));
            }
            case DUMP -> throw new IllegalStateException("no backup to fetch with BACKUP_SOURCE=dump");
        };
        run.archive(ArchiveExtractor.dumpIn(given, run.directory()));
        LOG.info("restoring the archive {}", v("archive", run.archive().getFileName().toString()));
    }

    /** Takes the source snapshot, after checking the tools against both servers: nothing is touched before. */
    public void openSnapshot(@ExchangeProperty(FullRun.PROPERTY) FullRun run) {
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            tools.checkCanHandle(target, settings.databases().targetUrl());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot check the target server: " + e.getMessage(), e);
        }
        SourceSnapshot snapshot = SourceSnapshot.open(settings.databases().sourceUrl(), settings.databases().sourceApp("full"),
                settings.databases().sourceServerOptions());
        run.snapshot(snapshot);
        tools.checkCanHandle(snapshot.connection(), settings.databases().sourceUrl());
        LOG.info("source snapshot {} taken", v("snapshot", snapshot.id()));
    }

    public void restoreStarting(Exchange exchange) {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        run.restoreStarted(Instant.now());
        LOG.info("Start restore: schema read in {} ms", v("duration_ms", run.elapsed().toMillis()));
    }

    public void restoreDone(Exchange exchange) {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        LOG.info("Restore done in {} ms", v("duration_ms", Duration.between(run.restoreStarted(), Instant.now()).toMillis()));
    }

    public void done(Exchange exchange) {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        if (run.warnings().isEmpty()) {
            LOG.info("Import and enrichment done in {} ms", v("duration_ms", run.elapsed().toMillis()));
        } else {
            LOG.warn("Import and enrichment done in {} ms with {} warnings: objects left out of the copy: {}",
                    v("duration_ms", run.elapsed().toMillis()), v("warnings", run.warnings().size()),
                    run.warnings().stream().map(FullRun.Warning::object).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /** Closes the snapshot and removes the work directory, whatever happened. */
    public void finish(Exchange exchange) {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        try {
            if (run != null) {
                boolean succeeded = exchange.getException() == null && exchange.getProperty(Exchange.EXCEPTION_CAUGHT) == null;
                progress.end(exchange.getProperty(Runs.RUN_ID, 0L, Long.class), "full", run::progress, succeeded);
                recordItems(exchange, run);
                if (run.hasSnapshot()) {
                    run.snapshot().close();
                }
                run.removeFiles();
            }
        } finally {
            MDC.remove("step");
        }
    }

    /** The timed items go to the run journal (also those of a failed attempt: the report shows where it stopped). */
    private void recordItems(Exchange exchange, FullRun run) {
        Long runId = exchange.getProperty(Runs.RUN_ID, Long.class);
        if (runId == null) {
            return;
        }
        try {
            if (!run.warnings().isEmpty()) {
                journal.warnings(runId, "full", run.warnings().stream()
                        .map(w -> new RunJournal.Warning("full", w.object(), w.error(), w.definition())).toList());
            }
        } catch (java.sql.SQLException e) {
            LOG.warn("cannot record the warnings in the journal: {}", e.getMessage());
        }
        if (run.items().all().isEmpty()) {
            return;
        }
        try {
            journal.restoreItems(runId, run.items().all().stream()
                    .map(i -> new RunJournal.Item(i.category(), i.name(), i.start(), i.end(), i.rows())).toList());
        } catch (java.sql.SQLException e) {
            LOG.warn("cannot record the restore items in the journal: {}", e.getMessage());
        }
    }
}
