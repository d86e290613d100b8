package org.dbreplication.incremental;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The tables of one execution of the incremental step, carried by the exchange (property {@value #PROPERTY}). */
final class IncrementalRun {

    static final String PROPERTY = "incrementalRun";

    final List<TableRun> tables;
    final RunConnections connections;
    final long started = System.nanoTime();
    /** When the first chunk started and the last one ended (nanoTime; 0 before): the copy window. */
    private long firstChunkStart;
    private long lastChunkEnd;
    /** Time spent comparing schemas, reading and recording checkpoints, counting rows (summed over the threads). */
    private final AtomicLong checkNanos = new AtomicLong();

    IncrementalRun(List<TableRun> tables, RunConnections connections) {
        this.tables = tables;
        this.connections = connections;
    }

    synchronized void chunkRan(long start, long end) {
        firstChunkStart = firstChunkStart == 0 ? start : Math.min(firstChunkStart, start);
        lastChunkEnd = Math.max(lastChunkEnd, end);
    }

    /** Adds the time since {@code start} (nanoTime) to the checks. */
    void checkedSince(long start) {
        checkNanos.addAndGet(System.nanoTime() - start);
    }

    /** Where the step's time went so far, in milliseconds. */
    synchronized Timings timings() {
        long now = System.nanoTime();
        if (lastChunkEnd == 0) {
            return new Timings((now - started) / 1_000_000, 0, 0, checkNanos.get() / 1_000_000);
        }
        return new Timings((firstChunkStart - started) / 1_000_000, (lastChunkEnd - firstChunkStart) / 1_000_000,
                (now - lastChunkEnd) / 1_000_000, checkNanos.get() / 1_000_000);
    }

    /**
     * Before the first chunk (planning the first tables), from the first chunk's start to the last one's end, after
     * it (the last table's final checks and watermark), and the checks' own time summed over the threads.
     */
    record Timings(long planningMillis, long copyWindowMillis, long finishingMillis, long checksMillis) {
    }
}
