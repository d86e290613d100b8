package org.dbreplication.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.dbreplication.chain.ChainTrigger;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Step;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.runtime.ReplicationRuntime;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code run}: the chain once, or one step, or the chain from one step (replay). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the chain once, or some of its steps, and exits.",
                "Exit code 0 when every step succeeded, 1 when one failed, 3 when refused because another run is "
                        + "active on the target. Replay after a failure: run --from <failed step>."})
class RunCommand implements Callable<Integer> {

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
            settings = cli.settings();
            requireSettings(plan(List.of(Step.values())), settings);
        } catch (ConfigException | UnknownStepException e) {
            return cli.cannotStart(e);
        }
        try (ReplicationRuntime runtime = ReplicationRuntime.start(settings, ReplicationRuntime.Mode.ONE_OFF)) {
            runtime.run(plan(runtime.availableSteps()), cli.variables.getOrDefault("RUN_TRIGGER", "cli"));
            return Cli.OK;
        } catch (ConfigException | UnknownStepException e) {
            return cli.cannotStart(e);
        } catch (RunJournal.RunRefusedException e) {
            if (org.dbreplication.runtime.Shutdown.requested()) {
                return interrupted("before the run began");
            }
            cli.err.println("error: " + e.getMessage());
            return Cli.REFUSED;
        } catch (ChainTrigger.StepFailedException e) {
            if (org.dbreplication.runtime.Shutdown.requested()) {
                return interrupted("during step " + e.step());
            }
            cli.err.println("error: " + e.getMessage());
            return Cli.FAILED;
        } catch (Exception e) {
            if (org.dbreplication.runtime.Shutdown.requested()) {
                return interrupted("while the process started");
            }
            return cli.failed(e);
        }
    }

    /**
     * Stopped (SIGTERM, Ctrl-C): not a failure, as the journal records it. The JVM may exit before this line is
     * printed (once its shutdown hooks are done), with its own code: 143 for SIGTERM, 130 for Ctrl-C.
     */
    private int interrupted(String when) {
        cli.err.println("interrupted: " + org.dbreplication.runtime.Shutdown.reason() + " " + when);
        return Cli.INTERRUPTED;
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
        settings.databases().targetUrl();
        if (plan.includes(Step.FULL.id()) && settings.backup().source() == org.dbreplication.config.BackupSource.DUMP) {
            settings.databases().sourceUrl();
        }
        if (plan.includes(Step.INCREMENTAL.id()) && !settings.full().backupModes().incrementalTables().isEmpty()) {
            settings.databases().sourceUrl();
            settings.databases().incrementalTargetUrl();
        }
    }

    static class UnknownStepException extends RuntimeException {
        UnknownStepException(String message) {
            super(message);
        }
    }
}
