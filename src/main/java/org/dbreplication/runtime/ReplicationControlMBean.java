package org.dbreplication.runtime;

/**
 * Operations of the tool, visible in hawtio/JConsole as org.dbreplication:type=ReplicationControl. Each records a
 * replay request that a scheduling process runs within seconds; while a run is active, the request waits for it.
 * Each returns what it recorded; it fails with IllegalArgumentException naming an unknown step, and with
 * IllegalStateException when the journal cannot be written.
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
