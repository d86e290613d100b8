package org.dbreplication.incremental;

import java.util.List;

/** The tables of one execution of the incremental step, carried by the exchange (property {@value #PROPERTY}). */
final class IncrementalRun {

    static final String PROPERTY = "incrementalRun";

    final List<TableRun> tables;
    final long started = System.nanoTime();
    /** When the first chunk started and the last one ended (nanoTime; 0 before): the copy window. */
    private long firstChunkStart;
    private long lastChunkEnd;

    IncrementalRun(List<TableRun> tables) {
        this.tables = tables;
    }

    synchronized void chunkRan(long start, long end) {
        firstChunkStart = firstChunkStart == 0 ? start : Math.min(firstChunkStart, start);
        lastChunkEnd = Math.max(lastChunkEnd, end);
    }

    /** Milliseconds spent copying (first chunk start to last chunk end), and spent outside it so far. */
    synchronized long[] copyWindowAndOverhead() {
        long now = System.nanoTime();
        long window = lastChunkEnd == 0 ? 0 : (lastChunkEnd - firstChunkStart) / 1_000_000;
        return new long[] {window, (now - started) / 1_000_000 - window};
    }
}
