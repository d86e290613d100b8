package org.dbreplication.runtime;

/**
 * Operations of the background process, visible in hawtio/JConsole as org.dbreplication:type=ReplicationControl.
 * Runs start in the background; a run requested while another is active is refused (see the status and the log).
 */
public interface ReplicationControlMBean {

    /** The whole chain, as the schedule would. */
    String startChain();

    /** The step and the ones after it: how to replay a failed step (full, incremental, learning-content, notification). */
    String replayFrom(String step);

    /** That step alone. */
    String runOnly(String step);

    /** The active run, if any, and the last runs. */
    String getStatus();
}
