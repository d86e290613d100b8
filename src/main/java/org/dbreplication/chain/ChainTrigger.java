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

    public void context(CamelContext context) {
        this.context = context;
    }

    /** Steps that have a route in this bundle, in chain order. */
    public List<Step> availableSteps() {
        return java.util.Arrays.stream(Step.values()).filter(s -> context.getRoute(s.id()) != null).toList();
    }

    /** Runs the chain and waits; throws {@link RunJournal.RunRefusedException} or {@link StepFailedException}. */
    public void run(RunPlan plan, String trigger) throws Exception {
        ProducerTemplate template = context.createProducerTemplate();
        try {
            Exchange result = template.send("direct:chain", ex -> {
                ex.setProperty(RunPlan.PROPERTY, plan);
                ex.setProperty(Runs.TRIGGER, trigger);
            });
            if (result.getException() != null) {
                throw result.getException();
            }
            String failedStep = result.getProperty(Runs.FAILED_STEP, String.class);
            if (failedStep != null) {
                throw new StepFailedException(failedStep, result.getProperty(Runs.FAILURE, String.class));
            }
        } finally {
            template.stop();
        }
    }

    /** The schedule fired (schedule.yaml). */
    public void scheduled() {
        runLogged(RunPlan.all(availableSteps()), "schedule");
    }

    /** Starts a run in the background (JMX); returns what happened to the request. */
    public String startInBackground(RunPlan plan, String trigger) {
        Thread thread = new Thread(() -> runLogged(plan, trigger), "run-" + trigger);
        thread.start();
        return "run requested: " + plan + " (see the status or the journal; refused if a run is active)";
    }

    private void runLogged(RunPlan plan, String trigger) {
        try {
            run(plan, trigger);
        } catch (RunJournal.RunRefusedException e) {
            LOG.warn("{} trigger: {}", v("trigger", trigger), v("error", e.getMessage()));
        } catch (StepFailedException e) {
            // already logged by the chain
        } catch (Exception e) {
            LOG.error("the run started by {} failed: {}", v("trigger", trigger), v("error", Runs.message(e)), e);
        }
    }

    /** A step exhausted its attempts; the chain stopped there. */
    public static class StepFailedException extends RuntimeException {
        private final String step;

        public StepFailedException(String step, String error) {
            super("step " + step + " failed: " + error + " (replay: run --from " + step + ")");
            this.step = step;
        }

        public String step() {
            return step;
        }
    }
}
