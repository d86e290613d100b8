package org.dbreplication.chain;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.logging.Secrets;
import org.dbreplication.pg.Connections;
import org.dbreplication.runtime.Shutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The chain's bookkeeping, called from routes/chain.yaml: a run begins (advisory lock taken, or refused naming the
 * active run), each step attempt is recorded, a step whose retries are exhausted stops the chain, and the run ends
 * with its status. A run stopped by SIGTERM is recorded as interrupted.
 * <p>
 * The step is the one of the route the call comes from: a step route's id is {@code step-<step>} (chain.yaml), so
 * that a failure is recorded against its step wherever it happens, even before the route did anything.
 */
public class Runs {

    public static final String RUN_ID = "runId";
    public static final String TRIGGER = "trigger";
    /** The first run of the interrupted night a run resumes (absent for a new night). */
    public static final String RESUMES = "resumes";
    public static final String STEP = "step";
    public static final String FAILED_STEP = "failedStep";
    public static final String FAILURE = "failure";
    /** System.nanoTime() at the run's start, for its duration. */
    static final String RUN_STARTED = "runStarted";
    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    private static final String ACTIVE = "activeRun";

    private final RunJournal journal;
    private final org.dbreplication.journal.ReplayRequests requests;
    private volatile RunJournal.ActiveRun current;

    public Runs(RunJournal journal) {
        this(journal, null);
    }

    /** With {@code requests}: a run started for a replay request is linked to it. */
    public Runs(RunJournal journal, org.dbreplication.journal.ReplayRequests requests) {
        this.journal = journal;
        this.requests = requests;
        Shutdown.onRequest(this::interruptCurrent);
    }

    public void begin(Exchange exchange) throws SQLException {
        RunPlan plan = exchange.getProperty(RunPlan.PROPERTY, RunPlan.class);
        String trigger = exchange.getProperty(TRIGGER, "cli", String.class);
        if (Shutdown.requested()) {
            throw new RunJournal.RunRefusedException("refused: the process is stopping (" + Shutdown.reason() + ")");
        }
        Long resumes = exchange.getProperty(RESUMES, Long.class);
        RunJournal.ActiveRun run = journal.begin(trigger, plan.toString(), resumes);
        current = run;
        exchange.setProperty(ACTIVE, run);
        exchange.setProperty(RUN_ID, run.id());
        exchange.setProperty(RUN_STARTED, System.nanoTime());
        Long request = exchange.getProperty(org.dbreplication.journal.ReplayRequests.REQUEST_ID, Long.class);
        if (request != null && requests != null) {
            requests.started(request, run.id());
        }
        MDC.put("run_id", Long.toString(run.id()));
        if (resumes == null) {
            LOG.info("run {} started ({}): {}", v("run", run.id()), v("trigger", trigger), v("steps", plan.toString()));
        } else {
            LOG.info("run {} started ({} of the night of run {}): {}", v("run", run.id()), v("trigger", trigger),
                    v("resumes_run", resumes), v("steps", plan.toString()));
        }
    }

    public void attemptStarted(Exchange exchange) throws SQLException {
        String step = stepOfRoute(exchange);
        // a retry due after the stop was asked does not start: the run is already recorded as interrupted
        Shutdown.refuseIfRequested("step " + step);
        RunJournal.ActiveRun active = exchange.getProperty(ACTIVE, RunJournal.ActiveRun.class);
        if (active != null) {
            journal.keepLock(active);
        }
        MDC.put("step", step);
        int attempt = journal.attemptStarted(runId(exchange), step);
        LOG.info("step {} started (attempt {})", v("step_name", step), v("attempt", attempt));
    }

    public void attemptSucceeded(Exchange exchange) throws SQLException {
        String step = stepOfRoute(exchange);
        journal.attemptEnded(runId(exchange), step, "succeeded", null);
        // the failures of its earlier attempts are over: finish() must not take them for the run's
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        LOG.info("step {} succeeded", v("step_name", step));
    }

    /** An attempt failed (the error handler may try again); also when it failed before its start was recorded. */
    public void attemptFailed(Exchange exchange) {
        String step = stepOfRoute(exchange);
        String error = message(exchange.getException());
        if (Shutdown.requested()) {
            // cut by the stop, not failed: the attempt is recorded interrupted (interruptCurrent)
            LOG.info("step {} stopped: {} ({})", v("step_name", step), Shutdown.reason(), v("error", error));
            return;
        }
        LOG.warn("step {} attempt failed: {}", v("step_name", step), v("error", error));
        try {
            journal.attemptFailed(runId(exchange), step, error);
        } catch (SQLException | RuntimeException e) {
            // the journal's server may be the one that failed: the next attempt closes this one in the journal
            LOG.error("the journal could not record this failed attempt of {}: {}", v("step_name", step),
                    Connections.firstLineOf(e.getMessage()));
        }
    }

    /** The dead letter of a step: its retries are exhausted; the chain stops here. */
    public void stepExhausted(Exchange exchange) {
        String step = exchange.getProperty(STEP, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = message(cause);
        exchange.setProperty(FAILED_STEP, step);
        exchange.setProperty(FAILURE, error);
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        if (Shutdown.requested()) {
            exchange.setProperty(FAILURE, Shutdown.reason());
            return;
        }
        RunPlan plan = exchange.getProperty(RunPlan.PROPERTY, RunPlan.class);
        LOG.error("step {} failed, the chain stops; replay it with: {}. Cause: {}", v("step_name", step),
                plan == null ? "run --from " + step : plan.replayCommand(step), v("error", error), cause);
    }

    /**
     * The end of the run (the chain's doFinally): failed when a step was dead-lettered, or when a failure escaped
     * the steps' error handlers (a dead letter that failed itself): inside a doFinally, Camel holds that failure in
     * the {@link Exchange#EXCEPTION_CAUGHT} property, not as the exchange's exception.
     */
    public void finish(Exchange exchange) {
        RunJournal.ActiveRun run = exchange.getProperty(ACTIVE, RunJournal.ActiveRun.class);
        if (run == null) {
            return;
        }
        Throwable unexpected = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String failedStep = exchange.getProperty(FAILED_STEP, String.class);
        String step = exchange.getProperty(STEP, String.class);
        String error = failedStep != null ? failedStep + ": " + exchange.getProperty(FAILURE, String.class)
                : unexpected == null ? null : step != null ? step + ": " + message(unexpected) : message(unexpected);
        long millis = (System.nanoTime() - exchange.getProperty(RUN_STARTED, Long.class)) / 1_000_000;
        if (Shutdown.requested()) {
            journal.interrupt(run.id(), Shutdown.reason());
            run.close();
            current = null;
            LOG.warn("run {} interrupted after {} ms: {}", v("run", run.id()), v("duration_ms", millis), v("error", Shutdown.reason()));
            MDC.remove("run_id");
            MDC.remove("step");
            return;
        }
        try {
            journal.finish(run.id(), error == null ? "succeeded" : "failed", error);
        } catch (SQLException e) {
            LOG.error("cannot record the end of run {}: {}", run.id(), e.getMessage());
        } finally {
            run.close();
            current = null;
        }
        if (error == null) {
            int warnings = warningCount(run.id());
            if (warnings == 0) {
                LOG.info("run {} succeeded in {} ms", v("run", run.id()), v("duration_ms", millis));
            } else {
                LOG.warn("run {} succeeded with {} warnings in {} ms (objects left out of the copy: see the report)",
                        v("run", run.id()), v("warnings", warnings), v("duration_ms", millis));
            }
        } else {
            LOG.error("run {} failed in {} ms: {}", v("run", run.id()), v("duration_ms", millis), v("error", error));
        }
        MDC.remove("run_id");
        MDC.remove("step");
    }

    private int warningCount(long runId) {
        try {
            return journal.warnings(runId).size();
        } catch (SQLException e) {
            return 0;
        }
    }

    private void interruptCurrent() {
        RunJournal.ActiveRun run = current;
        if (run != null) {
            journal.interrupt(run.id(), Shutdown.reason() + " during the run");
            journal.endStepSessions();
        }
    }

    /**
     * The step of the step route the exchange is in ({@code step-full} → full), remembered in the {@link #STEP}
     * property for the dead letter route and for finish(); a route named otherwise (an override) sets the property.
     */
    private static String stepOfRoute(Exchange exchange) {
        String route = ExchangeHelper.getAtRouteId(exchange);
        if (route != null && route.startsWith("step-")) {
            exchange.setProperty(STEP, route.substring("step-".length()));
        }
        return exchange.getProperty(STEP, String.class);
    }

    private static long runId(Exchange exchange) {
        return exchange.getProperty(RUN_ID, Long.class);
    }

    static String message(Throwable failure) {
        if (failure == null) {
            return "unknown error";
        }
        Throwable meaningful = failure;
        // Camel's wrappers (a split or multicast names the branch that failed) hide the cause
        while ((meaningful instanceof org.apache.camel.CamelExecutionException
                || meaningful instanceof org.apache.camel.CamelExchangeException
                || meaningful.getClass() == org.apache.camel.RuntimeCamelException.class) && meaningful.getCause() != null) {
            meaningful = meaningful.getCause();
        }
        String message = meaningful.getMessage() == null ? meaningful.getClass().getSimpleName() : meaningful.getMessage();
        return Secrets.mask(message.strip().replaceAll("\\s*\\R\\s*", " | "));
    }
}
