package org.dbreplication.cli;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.util.concurrent.Callable;
import org.dbreplication.chain.Resumption;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.runtime.ReplicationControl;
import org.dbreplication.runtime.ReplicationRuntime;
import org.dbreplication.runtime.Shutdown;
import org.dbreplication.runtime.TargetWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code schedule}: the background process — the chain on SCHEDULE, the schema export, JMX control — until SIGTERM. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = {"Runs the background process: the nightly chain, the schema export and JMX, until SIGTERM.",
                "The chain runs every SCHEDULE (in SCHEDULE_TIMEZONE), the schema export when enabled, and the JMX "
                        + "operations are served (org.dbreplication:type=ReplicationControl). On SIGTERM, running "
                        + "pg_dump/pg_restore/psql are stopped and the run is recorded as interrupted."})
class ScheduleCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleCommand.class);

    @picocli.CommandLine.ParentCommand
    Cli cli;

    /** A night cut by a restart less than RESUME_WINDOW ago goes on now, from the step that was cut. */
    private static void resumeInterruptedNight(ReplicationRuntime runtime, Settings settings) {
        try {
            Resumption.find(runtime.journal(), settings.schedule().resumeWindow(), runtime.availableSteps(), java.time.Instant.now())
                    .ifPresent(runtime.trigger()::resume);
        } catch (java.sql.SQLException e) {
            LOG.warn("cannot look for an interrupted night to resume: {}", e.getMessage());
        }
    }

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = cli.settingsWithTarget();
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        }
        try {
            Shutdown.installHook();
            // a database down or not created yet: wait for it here, rather than exit and be restarted in a loop
            if (!TargetWait.until(settings.databases().targetUrl(), settings.databases().app())) {
                return Cli.OK;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.OK;
        }
        try (ReplicationRuntime runtime = ReplicationRuntime.start(settings, ReplicationRuntime.Mode.SCHEDULER)) {
            new ReplicationControl(runtime::availableSteps, runtime.requests(), runtime.journal(), "jmx").register();
            LOG.info("scheduler started: the chain runs on {} ({}), next steps {}", v("schedule", settings.schedule().cron().expression()),
                    v("timezone", settings.schedule().cron().zone().getId()), v("steps", runtime.availableSteps()));
            resumeInterruptedNight(runtime, settings);
            runtime.awaitShutdown();
            return Cli.OK;
        } catch (ConfigException e) {
            return cli.cannotStart(e);
        } catch (Exception e) {
            return cli.failed(e);
        }
    }
}
