package org.dbreplication.incremental;

import java.util.List;

/** The tables of one execution of the incremental step, carried by the exchange (property {@value #PROPERTY}). */
final class IncrementalRun {

    static final String PROPERTY = "incrementalRun";

    final List<TableRun> tables;
    final RunConnections connections;
    final long started = System.nanoTime();
    /** When the first chunk started and the last one ended (nanoTime; 0 before): the copy window. */
    private long firstChunkStart;
    private long lastChunkEnd;
    /** Time chunks spent recording checkpoints and counting rows (summed over the parallel jobs). */
    private final java.util.concurrent.atomic.AtomicLong checkNanos = new java.util.concurrent.atomic.AtomicLong();

    IncrementalRun(List<TableRun> tables, RunConnections connections) {
        this.tables = tables;
        this.connections = connections;
    }

    synchronized void chunkRan(long start, long end) {
        firstChunkStart = firstChunkStart == 0 ? start : Math.min(firstChunkStart, start);
        lastChunkEnd = Math.max(lastChunkEnd, end);
    }

    void checked(long nanos) {
        checkNanos.addAndGet(nanos);
    }

    long checkMillis() {
        return checkNanos.get() / 1_000_000;
    }

    /** Milliseconds spent copying (first chunk start to last chunk end), and spent outside it so far. */
    synchronized long[] copyWindowAndOverhead() {
        long now = System.nanoTime();
        long window = lastChunkEnd == 0 ? 0 : (lastChunkEnd - firstChunkStart) / 1_000_000;
        return new long[] {window, (now - started) / 1_000_000 - window};
    }
}
