package org.dbreplication.cli;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.util.List;
import java.util.concurrent.Callable;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Step;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.PgTools;
import org.dbreplication.runtime.ReplicationRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code run}: the chain once, or one step, or the chain from one step (replay). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the chain once and exits: 0 when every step succeeded, 1 when one failed.",
                "Replay after a failure: run --from <failed step>."})
class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    Cli cli;

    @ArgGroup(exclusive = true)
    Selection selection;

    static class Selection {
        @Option(names = "--only", paramLabel = "STEP", description = "run this step alone")
        String only;

        @Option(names = "--from", paramLabel = "STEP", description = "run this step and the ones after it")
        String from;
    }

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = Settings.from(cli.variables);
        } catch (ConfigException e) {
            cli.err.println("error: " + e.getMessage());
            return Cli.CANNOT_START;
        }
        try {
            requireSettings(plan(List.of(Step.values())), settings);
        } catch (ConfigException | UnknownStepException e) {
            cli.err.println("error: " + e.getMessage());
            return Cli.CANNOT_START;
        }
        try (ReplicationRuntime runtime = ReplicationRuntime.start(settings)) {
            RunPlan plan = plan(runtime.availableSteps());
            LOG.info("run started: {}", v("steps", plan.toString()));
            long start = System.nanoTime();
            runtime.run(plan);
            LOG.info("run succeeded in {} ms", v("duration_ms", (System.nanoTime() - start) / 1_000_000));
            return Cli.OK;
        } catch (ConfigException | UnknownStepException e) {
            cli.err.println("error: " + e.getMessage());
            return Cli.CANNOT_START;
        } catch (PgTools.ToolsException e) {
            cli.err.println("error: " + e.getMessage());
            return Cli.CANNOT_START;
        } catch (Exception e) {
            String line = Failures.oneLine(e);
            LOG.error("run failed: {}", line, e);
            cli.err.println("error: " + line);
            return Cli.FAILED;
        }
    }

    private RunPlan plan(List<Step> available) {
        if (selection == null) {
            return RunPlan.all(available);
        }
        if (selection.only != null) {
            return RunPlan.only(step(selection.only, available));
        }
        return RunPlan.from(step(selection.from, available), available);
    }

    private static Step step(String name, List<Step> available) {
        Step step = Step.byId(name).orElseThrow(() -> new UnknownStepException("unknown step '" + name
                + "'; steps are full, incremental, learning-content, notification"));
        if (!available.contains(step)) {
            throw new UnknownStepException("step '" + name + "' is not available in this version (available: "
                    + available.stream().map(Step::id).toList() + ")");
        }
        return step;
    }

    /** Fails before anything runs when a planned step lacks a required variable. */
    private static void requireSettings(RunPlan plan, Settings settings) {
        if (plan.includes(Step.FULL.id())) {
            settings.sourceUrl();
            settings.targetUrl();
        }
        if (plan.includes(Step.INCREMENTAL.id()) && !settings.backupModes().incrementalTables().isEmpty()) {
            settings.sourceUrl();
            settings.incrementalTargetUrl();
        }
    }

    static class UnknownStepException extends RuntimeException {
        UnknownStepException(String message) {
            super(message);
        }
    }
}
