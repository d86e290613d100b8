package org.dbreplication.runtime;

import java.util.Arrays;
import java.util.List;
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
import org.dbreplication.pg.PgTools;

/**
 * The camel-main process: the YAML routes of {@code routes/} (packaged in the jar) with the step beans they call,
 * all built from one validated {@link Settings}.
 */
public final class ReplicationRuntime implements AutoCloseable {

    private final Main main;

    private ReplicationRuntime(Main main) {
        this.main = main;
    }

    public static ReplicationRuntime start(Settings settings) throws Exception {
        PgTools tools = PgTools.locate(settings.pgBinDir());
        Main main = new Main();
        main.addInitialProperty("replication.pg-tool-timeout-ms", Long.toString(settings.pgToolTimeoutMillis()));
        PgCommands commands = new PgCommands(settings, tools);
        main.bind("settings", settings);
        main.bind("processExecutor", new ProcessCommandExecutor());
        main.bind("pgCommands", commands);
        main.bind("fullRuns", new FullRuns(settings, tools));
        main.bind("restorePlanner", new RestorePlanner(settings));
        main.bind("targetSchema", new TargetSchema(settings));
        main.bind("tableDataLoader", new TableDataLoader(settings));
        main.bind("restoreTimings", new RestoreTimings());
        main.bind("foreignKeys", new ForeignKeys(settings));
        main.bind("sequenceValues", new SequenceValues(settings));
        main.bind("compatibilityView", new CompatibilityView(settings));
        main.bind("enrichment", new Enrichment(settings, commands));
        main.start();
        return new ReplicationRuntime(main);
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
    }
}
