package org.dbreplication.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Step;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ProcessCommandExecutor;
import org.dbreplication.full.CompatibilityView;
import org.dbreplication.full.Enrichment;
import org.dbreplication.full.ForeignKeys;
import org.dbreplication.full.FullRuns;
import org.dbreplication.full.PgCommands;
import org.dbreplication.full.RestorePlanner;
import org.dbreplication.full.RestoreTimings;
import org.dbreplication.full.SequenceValues;
import org.dbreplication.full.TableDataLoader;
import org.dbreplication.full.TargetSchema;
import org.dbreplication.incremental.ChunkCopier;
import org.dbreplication.incremental.ChunkTotals;
import org.dbreplication.incremental.IncrementalFinisher;
import org.dbreplication.incremental.IncrementalPlanner;
import org.dbreplication.incremental.Progress;
import org.dbreplication.incremental.TableBootstrap;
import org.dbreplication.journal.ReplicationSchema;
import org.dbreplication.learningcontent.LearningContentLoader;
import org.dbreplication.learningcontent.Mapping;
import org.dbreplication.pg.PgTools;

/**
 * The camel-main process: the YAML routes of {@code routes/} (packaged in the jar) with the step beans they call,
 * all built from one validated {@link Settings}.
 */
public final class ReplicationRuntime implements AutoCloseable {

    private final Main main;
    private final List<ExecutorService> pools;

    private ReplicationRuntime(Main main, List<ExecutorService> pools) {
        this.main = main;
        this.pools = pools;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> new Thread(runnable, prefix + "-" + number.incrementAndGet());
    }

    public static ReplicationRuntime start(Settings settings) throws Exception {
        PgTools tools = PgTools.locate(settings.pgBinDir());
        Main main = new Main();
        // chunks of every table share one pool of INCREMENTAL_JOBS; tables are prepared and verified on their own threads
        ExecutorService incrementalJobs = Executors.newFixedThreadPool(settings.incrementalJobs(), named("incremental-job"));
        ExecutorService incrementalTables = Executors.newCachedThreadPool(named("incremental-table"));
        main.addInitialProperty("replication.pg-tool-timeout-ms", Long.toString(settings.pgToolTimeoutMillis()));
        PgCommands commands = new PgCommands(settings, tools);
        main.bind("settings", settings);
        main.bind("processExecutor", new ProcessCommandExecutor());
        main.bind("pgCommands", commands);
        main.bind("fullRuns", new FullRuns(settings, tools));
        Mapping mapping = Mapping.load(settings.lcmsLocale());
        main.bind("restorePlanner", new RestorePlanner(settings, mapping.tableNames()));
        main.bind("targetSchema", new TargetSchema(settings));
        main.bind("tableDataLoader", new TableDataLoader(settings));
        main.bind("restoreTimings", new RestoreTimings());
        main.bind("foreignKeys", new ForeignKeys(settings));
        main.bind("sequenceValues", new SequenceValues(settings));
        main.bind("compatibilityView", new CompatibilityView(settings));
        main.bind("enrichment", new Enrichment(settings, commands));
        ReplicationSchema replicationSchema = new ReplicationSchema(settings);
        ChunkCopier chunkCopier = new ChunkCopier(settings);
        main.bind("replicationSchema", replicationSchema);
        main.bind("incrementalPlanner", new IncrementalPlanner(settings));
        main.bind("incrementalJobs", incrementalJobs);
        main.bind("incrementalTables", incrementalTables);
        main.bind("chunkCopier", chunkCopier);
        main.bind("chunkTotals", new ChunkTotals());
        main.bind("incrementalProgress", new Progress(settings));
        main.bind("incrementalFinisher", new IncrementalFinisher(settings, chunkCopier));
        main.bind("tableBootstrap", new TableBootstrap(settings, tools));
        main.bind("learningContent", new LearningContentLoader(settings, mapping));
        // the content API's timeouts (the whole download is also bounded by LCMS_TIMEOUT_SECONDS)
        String timeout = Long.toString(settings.lcmsTimeoutSeconds() * 1000L);
        main.addInitialProperty("camel.component.http.connect-timeout", timeout);
        main.addInitialProperty("camel.component.http.so-timeout", timeout);
        main.addInitialProperty("camel.component.http.response-timeout", timeout);
        main.start();
        if (!settings.backupModes().incrementalTables().isEmpty()) {
            // the tool's own schema on the target is created and upgraded once, when the process starts
            replicationSchema.migrate(settings.incrementalTargetUrl());
        }
        return new ReplicationRuntime(main, List.of(incrementalJobs, incrementalTables));
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Steps that have a route in this bundle, in chain order. */
    public List<Step> availableSteps() {
        return Arrays.stream(Step.values()).filter(s -> context().getRoute(s.id()) != null).toList();
    }

    /** Runs the chain with this plan; throws the failing step's exception. */
    public void run(RunPlan plan) throws Exception {
        ProducerTemplate template = context().createProducerTemplate();
        try {
            Exchange result = template.send("direct:chain", ex -> ex.setProperty(RunPlan.PROPERTY, plan));
            if (result.getException() != null) {
                throw result.getException();
            }
        } finally {
            template.stop();
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
        pools.forEach(ExecutorService::shutdownNow);
    }
}
