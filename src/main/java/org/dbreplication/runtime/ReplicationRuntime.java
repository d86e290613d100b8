package org.dbreplication.runtime;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.dbreplication.chain.ChainBeans;
import org.dbreplication.chain.ChainTrigger;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Runs;
import org.dbreplication.chain.Step;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ProcessCommandExecutor;
import org.dbreplication.full.CompatibilityView;
import org.dbreplication.full.Enrichment;
import org.dbreplication.full.FinishingErrors;
import org.dbreplication.full.ForeignKeys;
import org.dbreplication.full.FullRuns;
import org.dbreplication.full.PgCommands;
import org.dbreplication.full.RestorePlanner;
import org.dbreplication.full.RestoreTimings;
import org.dbreplication.full.SequenceValues;
import org.dbreplication.full.TableDataLoader;
import org.dbreplication.full.TargetSafety;
import org.dbreplication.full.TargetSchema;
import org.dbreplication.incremental.ChunkCopier;
import org.dbreplication.incremental.ChunkTotals;
import org.dbreplication.incremental.IncrementalFinisher;
import org.dbreplication.incremental.IncrementalPlanner;
import org.dbreplication.incremental.Progress;
import org.dbreplication.incremental.TableBootstrap;
import org.dbreplication.journal.JournalConnections;
import org.dbreplication.journal.ReplicationSchema;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.schemaexport.SchemaExport;
import org.dbreplication.learningcontent.LearningContentLoader;
import org.dbreplication.learningcontent.Mapping;
import org.dbreplication.notification.Webhooks;
import org.dbreplication.pg.PgTools;

/**
 * The camel-main process: the YAML routes (routes/ in the jar, plus the environment's overrides) with the beans
 * they call, all built from one validated {@link Settings}. Before the routes run, the tool's schema on the target
 * is created or upgraded and runs left "running" by a dead process are marked interrupted.
 */
public final class ReplicationRuntime implements AutoCloseable {

    /** Seconds Camel waits for in-flight exchanges when the process stops (its default, 45 s, outlives PaaS grace periods). */
    static final int SHUTDOWN_TIMEOUT_SECONDS = 4;

    /** A one-off process (run, export-schema) or the background process (schedule, JMX). */
    public enum Mode { ONE_OFF, SCHEDULER }

    private final Main main;
    private final ChainTrigger trigger;
    private final RunJournal journal;
    private final org.dbreplication.journal.ReplayRequests requests;
    private final List<ExecutorService> pools;

    private ReplicationRuntime(Main main, ChainTrigger trigger, RunJournal journal,
                               org.dbreplication.journal.ReplayRequests requests, List<ExecutorService> pools) {
        this.main = main;
        this.trigger = trigger;
        this.journal = journal;
        this.requests = requests;
        this.pools = pools;
    }

    public static ReplicationRuntime start(Settings settings, Mode mode) throws Exception {
        PgTools tools = PgTools.locate(settings.runtime().pgBinDir());
        Main main = new Main();
        main.configure().setRoutesIncludePattern(
                RouteFiles.includePattern(settings.runtime().replicationEnv(), settings.runtime().routesDir(),
                        RouteFiles.replication(mode == Mode.SCHEDULER)));
        properties(main, settings, mode);

        // the journal's pooled connections, shared by the journal, the replay requests, the progress and schedule.yaml
        JournalConnections journalConnections = new JournalConnections(settings.databases().targetUrl(), settings.databases().app() + ":journal");
        RunJournal journal = new RunJournal(settings, journalConnections);
        ReplicationSchema replicationSchema = new ReplicationSchema(settings);
        org.dbreplication.journal.ReplayRequests requests = new org.dbreplication.journal.ReplayRequests(settings, journalConnections);
        Runs runs = new Runs(journal, requests);
        ChainTrigger trigger = new ChainTrigger();
        trigger.resumption(journal, settings.schedule().resumeWindow());
        trigger.requests(requests);
        PgCommands commands = new PgCommands(settings, tools);
        Mapping mapping = Mapping.load(settings.learningContent().locale());
        // chunks of every table share one pool of INCREMENTAL_JOBS; tables are prepared and verified on their own threads
        ExecutorService incrementalJobs = Executors.newFixedThreadPool(settings.incremental().jobs(), named("incremental-job"));
        ExecutorService incrementalTables = Executors.newCachedThreadPool(named("incremental-table"));
        // connections held at once on the source by the incremental step: SOURCE_MAX_JOBS
        org.dbreplication.pg.SourceSlots sourceSlots = new org.dbreplication.pg.SourceSlots(settings.databases().sourceMaxJobs());
        ChunkCopier chunkCopier = new ChunkCopier(settings);
        org.dbreplication.journal.ProgressRecorder progress = new org.dbreplication.journal.ProgressRecorder(settings, journalConnections);

        main.bind(CamelCli.FACTORY_BEAN, CamelCli.automaticConnectorOff());
        main.bind("settings", settings);
        if (mode == Mode.SCHEDULER) {
            CamelCli.prepare(main);
        }
        ChainBeans.bind(main::bind, runs);
        main.bind("chainTrigger", trigger);
        // the journal's few-row statements made by routes (schedule.yaml's replay requests, journal.yaml's milestones)
        main.bind("journalDataSource", journalConnections.dataSource());
        main.bind("processExecutor", new ProcessCommandExecutor());
        main.bind("pgCommands", commands);
        main.bind("fullRuns", new FullRuns(settings, tools, journal, progress));
        // one policy (kept tables, foreign keys) for both ways the full copy is planned
        org.dbreplication.full.RestorePolicy restorePolicy = new org.dbreplication.full.RestorePolicy(settings, mapping.tableNames());
        main.bind("restorePlanner", new RestorePlanner(settings, restorePolicy));
        main.bind("archivePlanner", new org.dbreplication.full.ArchivePlanner(settings, restorePolicy));
        main.bind("keptTypes", new org.dbreplication.full.KeptTypes(settings));
        main.bind("targetSchema", new TargetSchema(settings));
        org.dbreplication.full.PostDataItems postDataItems = new org.dbreplication.full.PostDataItems(settings, commands);
        main.bind("postDataItems", postDataItems);

        main.bind("archiveDataLoader", new org.dbreplication.full.ArchiveDataLoader(settings, tools, commands));
        main.bind("spaceCheck", new org.dbreplication.full.SpaceCheck(settings));
        main.bind("copyVerification", new org.dbreplication.full.CopyVerification(settings));
        Enrichment enrichment = new Enrichment(settings, commands);
        main.bind("enrichment", enrichment);
        main.bind("tableDataLoader", new TableDataLoader(settings, postDataItems, enrichment));
        main.bind("restoreTimings", new RestoreTimings());
        main.bind("foreignKeys", new ForeignKeys(settings));
        main.bind("sequenceValues", new SequenceValues(settings));
        main.bind("compatibilityView", new CompatibilityView(settings));
        main.bind("finishingErrors", new FinishingErrors());
        org.dbreplication.full.AnalystObjects analystObjects = new org.dbreplication.full.AnalystObjects(settings);
        main.bind("analystObjects", analystObjects);
        main.bind("copySwitch", new org.dbreplication.full.CopySwitch(settings, analystObjects));
        main.bind("incrementalPlanner", new IncrementalPlanner(settings, sourceSlots));
        main.bind("incrementalJobs", incrementalJobs);
        main.bind("incrementalTables", incrementalTables);
        main.bind("chunkCopier", chunkCopier);
        main.bind("chunkTotals", new ChunkTotals());
        Progress incrementalProgress = new Progress(settings, progress);
        main.bind("incrementalProgress", incrementalProgress);
        main.bind("incrementalFinisher", new IncrementalFinisher(settings, chunkCopier, journal));
        main.bind("tableBootstrap", new TableBootstrap(settings, tools));
        main.bind("learningContent", new LearningContentLoader(settings, mapping, journal, progress));
        main.bind("webhooks", new Webhooks(settings, journal));
        main.bind("webhookRetried", new Webhooks.Retried());
        main.bind("schemaExport", new SchemaExport(settings, tools));

        main.bind("targetSafety", new TargetSafety(settings));
        if (mode == Mode.SCHEDULER) {
            // the schedule shared by every scheduling process of this target (Quartz's clustered JDBC job store)
            main.bind("quartzProperties", ClusteredSchedule.properties(settings));
            ClusteredSchedule.useConnectionsOf(settings.databases().targetUrl(), settings.databases().app());
            main.addInitialProperty("camel.component.quartz.properties-ref", "quartzProperties");
            main.addInitialProperty("camel.component.quartz.prefix-instance-name", "false");
        }

        // SIGTERM: the run recorded interrupted, children stopped, connections aborted, at once (Shutdown)
        Shutdown.installHook();
        // A one-off process starts Camel (~0.65 s of CPU) on a thread of its own while this one checks the
        // databases and migrates the journal's schema (0.2-0.6 s, mostly waiting on the servers): its routes only
        // have direct: consumers, so nothing runs before run() is called, after both are done. The background
        // process's routes poll the journal (schedule.yaml): it starts Camel after them.
        CamelStart camel = mode == Mode.ONE_OFF ? CamelStart.begin(main) : null;
        try {
            // never write into the source: a target URL that reaches it stops the process before anything is written
            if (settings.databases().hasSourceUrl()) {
                TargetSafety.checkTargetsAreNotTheSource(settings, settings.databases().targetUrl(), settings.databases().incrementalTargetUrl());
            }
            // the tool's own schema on the target, once per process, before any route runs
            replicationSchema.migrate(settings.databases().targetUrl());
            if (!settings.full().backupModes().incrementalTables().isEmpty()
                    && !settings.databases().incrementalTargetUrl().toString().equals(settings.databases().targetUrl().toString())) {
                replicationSchema.migrate(settings.databases().incrementalTargetUrl());
            }
            journal.markInterruptedRuns();
            org.dbreplication.pg.WorkDirectory.removeStale(settings.runtime().workDir());
        } catch (Exception | Error e) {
            if (camel != null) {
                camel.stopQuietly(e);
            }
            journalConnections.close();
            throw e;
        }
        if (camel != null) {
            camel.await();
        } else {
            main.start();
        }
        // what Camel waits for at stop (its SIGTERM hook, then the in-flight exchanges), once Shutdown has cut the
        // run: the whole stop stays under 10 s
        main.getCamelContext().getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_SECONDS);
        if (main.getShutdownStrategy() instanceof org.apache.camel.main.SimpleMainShutdownStrategy hangup) {
            // camel-main's SIGTERM hook waits the shutdown timeout plus this (15 s by default)
            hangup.setExtraShutdownTimeout(1);
        }
        trigger.context(main.getCamelContext());
        org.apache.camel.spi.CliConnector cli = mode == Mode.SCHEDULER ? CamelCli.start(main.getCamelContext()) : null;
        ReplicationRuntime runtime = new ReplicationRuntime(main, trigger, journal, requests, List.of(incrementalJobs, incrementalTables));
        runtime.closeAlso(() -> CamelCli.stop(cli));
        runtime.closeAlso(progress::close);
        runtime.closeAlso(incrementalProgress::close);
        // last: the steps and the stop have written the journal
        runtime.closeAlso(journalConnections::close);
        return runtime;
    }

    private static void properties(Main main, Settings settings, Mode mode) {
        if (mode == Mode.ONE_OFF) {
            // JMX is for the background process (replays, hawtio, the camel CLI); registering an MBean for every
            // route and processor cost a one-off run ~1 s of its start (no-op run: 3.5 -> 2.4 s on 2 busy cores)
            main.addInitialProperty("camel.main.jmx-enabled", "false");
        }
        main.addInitialProperty("replication.pg-tool-timeout-ms", Long.toString(settings.runtime().pgToolTimeoutMillis()));
        main.addInitialProperty("replication.step-redeliveries", Integer.toString(settings.schedule().maxRetryCount() - 1));
        main.addInitialProperty("replication.retry-delay-ms", Integer.toString(settings.schedule().retryDelayMillis()));
        main.addInitialProperty("replication.max-retry-delay-ms", Integer.toString(settings.schedule().maxRetryDelayMillis()));
        main.addInitialProperty("replication.schedule", settings.schedule().cron().quartzExpression());
        main.addInitialProperty("replication.schedule-zone", settings.schedule().cron().zone().getId());
        // schedule.yaml's replay requests and journal.yaml's milestones: the journal's schema (quoted); the replay
        // requests': this process's name, the run lock's key
        main.addInitialProperty("replication.journal-schema", org.dbreplication.pg.Sql.ident(settings.databases().replicationSchema()));
        main.addInitialProperty("replication.process", RunJournal.processName());
        main.addInitialProperty("replication.run-lock-class", Integer.toString(RunJournal.LOCK_CLASS));
        main.addInitialProperty("replication.run-lock-key", Integer.toString(RunJournal.LOCK_CHAIN));
        main.addInitialProperty("replication.replay-poll-ms", "2000");
        main.addInitialProperty("replication.schema-export-schedule", settings.schemaExport().cron().quartzExpression());
        main.addInitialProperty("replication.schema-export-scheduled",
                Boolean.toString(mode == Mode.SCHEDULER && settings.schemaExport().enabled()));
        // the content API's and the webhooks' timeouts (the learning content's whole download is also bounded)
        String timeout = Long.toString(settings.learningContent().timeoutSeconds() * 1000L);
        main.addInitialProperty("camel.component.http.connect-timeout", timeout);
        main.addInitialProperty("camel.component.http.so-timeout", timeout);
        main.addInitialProperty("camel.component.http.response-timeout", timeout);
        // retries are the step's and each webhook's (error-handling.yaml), not the HTTP client's own
        main.addInitialProperty("camel.component.http.automatic-retries-disabled", "true");
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> new Thread(runnable, prefix + "-" + number.incrementAndGet());
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public ChainTrigger trigger() {
        return trigger;
    }

    public RunJournal journal() {
        return journal;
    }

    public org.dbreplication.journal.ReplayRequests requests() {
        return requests;
    }

    /** Steps that have a route in this bundle, in chain order. */
    public List<Step> availableSteps() {
        return trigger.availableSteps();
    }

    /** Runs the chain with this plan and waits; throws the refusal or the failing step's error. */
    public void run(RunPlan plan, String triggerName) throws Exception {
        trigger.run(plan, triggerName);
    }

    /**
     * Blocks until the process is asked to stop (SIGTERM, JMX, Camel's shutdown). On SIGTERM camel-main's hook only
     * flags the stop and waits (up to 45 s) for the context to be stopped: returning lets the caller close it now.
     */
    public void awaitShutdown() throws InterruptedException {
        while (!main.isStopped() && main.getCamelContext().isStarted() && main.getShutdownStrategy().isRunAllowed()) {
            Thread.sleep(500);
        }
    }

    private final List<Runnable> closers = new java.util.ArrayList<>();

    private void closeAlso(Runnable closer) {
        closers.add(closer);
    }

    @Override
    public void close() throws Exception {
        main.stop();
        pools.forEach(ExecutorService::shutdownNow);
        closers.forEach(Runnable::run);
    }
}
