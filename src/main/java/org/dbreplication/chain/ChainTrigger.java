package org.dbreplication.chain;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.dbreplication.journal.RunJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs of the chain: for the command line (waits, throws the failure), the schedule (logs a refusal when a
 * run is already active) and JMX (in the background, answers at once).
 */
public class ChainTrigger {

    private static final Logger LOG = LoggerFactory.getLogger(ChainTrigger.class);
    private volatile CamelContext context;
    private volatile RunJournal journal;
    private volatile java.time.Duration resumeWindow = java.time.Duration.ZERO;
    private volatile org.dbreplication.journal.ReplayRequests requests;
    /** A night being resumed by this process: at start, Quartz's recovery and the start-up check may both see it. */
    private final java.util.concurrent.atomic.AtomicBoolean resuming = new java.util.concurrent.atomic.AtomicBoolean();

    public void context(CamelContext context) {
        this.context = context;
    }

    /** Steps that have a route in this bundle, in chain order. */
    public List<Step> availableSteps() {
        return java.util.Arrays.stream(Step.values()).filter(s -> context.getRoute(s.id()) != null).toList();
    }

    /** Where runs asked for by someone are recorded (replay requests); without it, nothing is. */
    public void requests(org.dbreplication.journal.ReplayRequests requests) {
        this.requests = requests;
    }

    /**
     * Runs the chain and waits (the {@code run} command: recorded as a replay request it carries out itself); throws
     * {@link RunJournal.RunRefusedException} or {@link StepFailedException}.
     */
    public void run(RunPlan plan, String trigger) throws Exception {
        Long request = requests == null ? null : requests.own(plan.kind(availableSteps()), plan.firstStep(availableSteps()), "run");
        try {
            run(plan, trigger, null, request);
            ended(request, "succeeded", null);
        } catch (RunJournal.RunRefusedException e) {
            ended(request, "refused", e.getMessage());
            throw e;
        } catch (Exception e) {
            ended(request, org.dbreplication.runtime.Shutdown.requested() ? "interrupted" : "failed", Runs.message(e));
            throw e;
        }
    }

    /**
     * A replay request claimed by routes/schedule.yaml (body: its row, with id, plan and step): runs it and records
     * how it ended; refused because a run took the lock meanwhile, it is pending again.
     */
    public void replay(Exchange exchange) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> request = exchange.getIn().getBody(java.util.Map.class);
        long id = ((Number) request.get("id")).longValue();
        if (!exchange.getContext().isStarted()) {
            // the timer fired while the process starts: the chain's routes may not be up yet
            try {
                requests.pendingAgain(id, "the scheduling process was starting");
            } catch (java.sql.SQLException e) {
                LOG.warn("cannot put replay request {} back to pending: {}", id, e.getMessage());
            }
            return;
        }
        if (context == null) {
            context = exchange.getContext();
        }
        String kind = (String) request.get("plan");
        String stepName = (String) request.get("step");
        String origin = (String) request.get("origin");
        try {
            RunPlan plan = RunPlan.of(kind, stepName, availableSteps());
            LOG.info("replay request {} from {}: {}", v("request", id), v("origin", origin), v("steps", plan.toString()));
            run(plan, origin, null, id);
            ended(id, "succeeded", null);
        } catch (RunJournal.RunRefusedException e) {
            try {
                requests.pendingAgain(id, e.getMessage());
            } catch (java.sql.SQLException journal) {
                LOG.warn("cannot put replay request {} back to pending: {}", id, journal.getMessage());
            }
        } catch (Exception e) {
            ended(id, org.dbreplication.runtime.Shutdown.requested() ? "interrupted" : "failed", Runs.message(e));
            if (!(e instanceof StepFailedException)) {
                LOG.error("replay request {} failed: {}", v("request", id), v("error", Runs.message(e)));
            }
        }
    }

    private void ended(Long request, String state, String message) {
        if (request == null || requests == null) {
            return;
        }
        try {
            requests.ended(request, state, message);
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.warn("cannot record the end of replay request {}: {}", request, e.getMessage());
        }
    }

    private void run(RunPlan plan, String trigger, Long resumes) throws Exception {
        run(plan, trigger, resumes, null);
    }

    private void run(RunPlan plan, String trigger, Long resumes, Long request) throws Exception {
        ProducerTemplate template = context.createProducerTemplate();
        try {
            Exchange result = template.send("direct:chain", ex -> {
                ex.setProperty(RunPlan.PROPERTY, plan);
                ex.setProperty(Runs.TRIGGER, trigger);
                if (resumes != null) {
                    ex.setProperty(Runs.RESUMES, resumes);
                }
                if (request != null) {
                    ex.setProperty(org.dbreplication.journal.ReplayRequests.REQUEST_ID, request);
                }
            });
            if (result.getException() != null) {
                throw result.getException();
            }
            String failedStep = result.getProperty(Runs.FAILED_STEP, String.class);
            if (failedStep != null) {
                throw new StepFailedException(failedStep, result.getProperty(Runs.FAILURE, String.class), plan.replayCommand(failedStep));
            }
        } finally {
            template.stop();
        }
    }

    /** What a recovered night needs: the journal to resume it from, and RESUME_WINDOW. */
    public void resumption(RunJournal journal, java.time.Duration window) {
        this.journal = journal;
        this.resumeWindow = window;
    }

    /**
     * The schedule fired (schedule.yaml): a new night. Or Quartz re-fires the night of a scheduling process that died
     * while it ran (a recoverable job, recovered by this process): that night is resumed instead, from the step that
     * was cut, and waited for, so that the job stays "running" in the cluster as long as the night does.
     */
    public void scheduled(Exchange exchange) {
        if (exchange.getIn() instanceof org.apache.camel.component.quartz.QuartzMessage quartz
                && quartz.getJobExecutionContext().isRecovering() && journal != null) {
            resumeRecovered();
            return;
        }
        runLogged(RunPlan.all(availableSteps()), "schedule");
    }

    private void resumeRecovered() {
        if (!resuming.compareAndSet(false, true)) {
            LOG.info("took over the schedule of a process that died; this process is already resuming its night");
            return;
        }
        try {
            // the dead process's run is still "running": nobody holds its lock any more, mark it
            journal.markInterruptedRuns();
            java.util.Optional<Resumption.Night> night = Resumption.find(journal, resumeWindow, availableSteps(),
                    java.time.Instant.now());
            if (night.isEmpty()) {
                LOG.info("took over the schedule of a process that died; no night to resume");
                return;
            }
            LOG.warn("took over the night of a process that died: resuming the night of run {}: {}",
                    v("night_run", night.get().firstRunId()), v("steps", night.get().plan().toString()));
            runLogged(night.get().plan(), "resume", night.get().firstRunId());
        } catch (java.sql.SQLException e) {
            LOG.error("cannot resume the night of a process that died: {}", v("error", e.getMessage()));
        } finally {
            resuming.set(false);
        }
    }

    /** Starts a run in the background (JMX); returns what happened to the request. */
    public String startInBackground(RunPlan plan, String trigger) {
        Thread thread = new Thread(() -> runLogged(plan, trigger), "run-" + trigger);
        thread.start();
        return "run requested: " + plan + " (see the status or the journal; refused if a run is active)";
    }

    /** Resumes an interrupted night in the background (the scheduling process, at start): trigger "resume". */
    public void resume(Resumption.Night night) {
        if (!resuming.compareAndSet(false, true)) {
            LOG.info("the night of run {} is already being resumed by this process", v("night_run", night.firstRunId()));
            return;
        }
        LOG.warn("resuming the night of run {} (run {} was interrupted): {}", v("night_run", night.firstRunId()),
                v("interrupted_run", night.interruptedRunId()), v("steps", night.plan().toString()));
        Thread thread = new Thread(() -> {
            try {
                runLogged(night.plan(), "resume", night.firstRunId());
            } finally {
                resuming.set(false);
            }
        }, "run-resume");
        thread.start();
    }

    private void runLogged(RunPlan plan, String trigger) {
        runLogged(plan, trigger, null);
    }

    private void runLogged(RunPlan plan, String trigger, Long resumes) {
        try {
            run(plan, trigger, resumes);
        } catch (RunJournal.RunRefusedException e) {
            LOG.warn("{} trigger: {}", v("trigger", trigger), v("error", e.getMessage()));
        } catch (StepFailedException e) {
            // already logged by the chain
        } catch (Exception e) {
            LOG.error("the run started by {} failed: {}", v("trigger", trigger), v("error", Runs.message(e)), e);
        }
    }

    /** A step exhausted its attempts; the chain stopped there. The hint replays what the run had left to do. */
    public static class StepFailedException extends RuntimeException {
        private final String step;

        public StepFailedException(String step, String error, String replayCommand) {
            super("step " + step + " failed: " + error + " (replay: " + replayCommand + ")");
            this.step = step;
        }

        public String step() {
            return step;
        }
    }
}
