package org.dbreplication.runtime;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Step;
import org.dbreplication.journal.ReplayRequests;
import org.dbreplication.journal.RunJournal;

/**
 * The JMX face of the tool (see {@link ReplicationControlMBean}), in the background process (JMX, `camel`) and in
 * the web process (Jolokia/hawtio on /observe/jolokia): each operation records a replay request in the journal,
 * which a scheduling process runs within seconds.
 */
public class ReplicationControl implements ReplicationControlMBean {

    public static final String NAME = "org.dbreplication:type=ReplicationControl";
    private final Supplier<List<Step>> steps;
    private final ReplayRequests requests;
    private final RunJournal journal;
    private final String origin;

    /**
     * @param steps  the steps of the chain (those with a route in the background process; all in the web process)
     * @param origin what the journal records as the request's origin (jmx, jolokia)
     */
    public ReplicationControl(Supplier<List<Step>> steps, ReplayRequests requests, RunJournal journal, String origin) {
        this.steps = steps;
        this.requests = requests;
        this.journal = journal;
        this.origin = origin;
    }

    public void register() throws JMException {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new Described(this), new ObjectName(NAME));
    }

    /** What hawtio and JConsole show: each operation and its argument named and described, not "p1". */
    private static final class Described extends javax.management.StandardMBean {
        private static final String STEPS = "full, incremental, learning-content or notification";

        Described(ReplicationControlMBean control) throws javax.management.NotCompliantMBeanException {
            super(control, ReplicationControlMBean.class);
        }

        @Override
        protected String getDescription(javax.management.MBeanInfo info) {
            return "Replay requests of db-replication, run within seconds by a scheduling process";
        }

        @Override
        protected String getDescription(javax.management.MBeanOperationInfo op) {
            return switch (op.getName()) {
                case "startChain" -> "Records a request to run the whole chain";
                case "replayFrom" -> "Records a request to run this step and the ones after it";
                case "runOnly" -> "Records a request to run this step alone";
                default -> super.getDescription(op);
            };
        }

        @Override
        protected String getParameterName(javax.management.MBeanOperationInfo op, javax.management.MBeanParameterInfo param, int sequence) {
            return "step";
        }

        @Override
        protected String getDescription(javax.management.MBeanOperationInfo op, javax.management.MBeanParameterInfo param, int sequence) {
            return STEPS;
        }

        @Override
        protected String getDescription(javax.management.MBeanAttributeInfo info) {
            return "The active run, if any, and the last five runs";
        }
    }

    @Override
    public String startChain() {
        return request("all", null);
    }

    @Override
    public String replayFrom(String step) {
        return request("from", step);
    }

    @Override
    public String runOnly(String step) {
        return request("only", step);
    }

    private String request(String kind, String step) {
        RunPlan plan;
        try {
            plan = RunPlan.of(kind, step, steps.get());
        } catch (IllegalArgumentException e) {
            // the operation fails (JConsole shows the message; Jolokia answers an error, not status 200)
            throw new IllegalArgumentException(e.getMessage());
        }
        try {
            long id = requests.request(kind, step, origin);
            return "replay request #" + id + " recorded: " + plan + " (a scheduling process runs it within seconds,"
                    + " once no run is active; its state is in the status and in replication.replay_requests)";
        } catch (SQLException | RuntimeException e) {
            // no cause attached: a JMX client receives the exception, which must carry no secret
            throw new IllegalStateException("cannot record the request in the journal: "
                    + org.dbreplication.logging.Secrets.mask(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public String getStatus() {
        try {
            return journal.recentRuns(5).stream().map(r -> "run #" + r.id() + " " + r.status() + " (" + r.trigger() + ", "
                    + r.plan() + ", started " + r.startedAt() + (r.endedAt() == null ? "" : ", ended " + r.endedAt())
                    + (r.error() == null ? "" : ", " + org.dbreplication.logging.Secrets.mask(r.error())) + ")")
                    .collect(Collectors.joining("\n"));
        } catch (SQLException e) {
            return "cannot read the journal: " + e.getMessage();
        }
    }
}
