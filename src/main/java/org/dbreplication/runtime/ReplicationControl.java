package org.dbreplication.runtime;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import org.dbreplication.chain.ChainTrigger;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Step;
import org.dbreplication.journal.RunJournal;

/** The JMX face of the background process (see {@link ReplicationControlMBean}). */
public class ReplicationControl implements ReplicationControlMBean {

    public static final String NAME = "org.dbreplication:type=ReplicationControl";
    private final ChainTrigger trigger;
    private final RunJournal journal;

    public ReplicationControl(ChainTrigger trigger, RunJournal journal) {
        this.trigger = trigger;
        this.journal = journal;
    }

    public void register() throws JMException {
        ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(NAME));
    }

    @Override
    public String startChain() {
        return trigger.startInBackground(RunPlan.all(trigger.availableSteps()), "jmx");
    }

    @Override
    public String replayFrom(String step) {
        return step(step) == null ? unknown(step)
                : trigger.startInBackground(RunPlan.from(step(step), trigger.availableSteps()), "jmx");
    }

    @Override
    public String runOnly(String step) {
        return step(step) == null ? unknown(step) : trigger.startInBackground(RunPlan.only(step(step)), "jmx");
    }

    private Step step(String name) {
        return Step.byId(name).filter(trigger.availableSteps()::contains).orElse(null);
    }

    private String unknown(String name) {
        return "unknown step '" + name + "'; steps are " + trigger.availableSteps().stream().map(Step::id)
                .collect(Collectors.joining(", "));
    }

    @Override
    public String getStatus() {
        try {
            return journal.recentRuns(5).stream().map(r -> "run #" + r.id() + " " + r.status() + " (" + r.trigger() + ", "
                    + r.plan() + ", started " + r.startedAt() + (r.endedAt() == null ? "" : ", ended " + r.endedAt())
                    + (r.error() == null ? "" : ", " + r.error()) + ")").collect(Collectors.joining("\n"));
        } catch (SQLException e) {
            return "cannot read the journal: " + e.getMessage();
        }
    }
}
