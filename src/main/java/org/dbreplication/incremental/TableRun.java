package org.dbreplication.incremental;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.dbreplication.config.TableMode;
import org.dbreplication.config.TableSpec;
import org.dbreplication.pg.TableRef;

/**
 * One table during one incremental run: what was decided when it started (key, columns, the key range
 * {@code (before, upTo]}) and what happened since (rows copied, the first failure).
 */
public final class TableRun {

    /** Exchange property holding the table a split branch works on. */
    static final String PROPERTY = "tableRun";

    final TableSpec spec;
    final Instant started = Instant.now();
    final AtomicLong rowsCopied = new AtomicLong();
    final AtomicLong rowsRepaired = new AtomicLong();
    /** Rows of the verified key ranges (each chunk's before it commits), in the source and on the target. */
    final AtomicLong rowsCountedInSource = new AtomicLong();
    final AtomicLong rowsCountedOnTarget = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();

    String key;
    List<String> columns = List.of();
    boolean binary;
    long targetOid;
    /**
     * Incremental mode: the keys {@code (before, upTo]} this run copies — every key up to {@code before} was on the
     * target when it started, {@code upTo} was the source's largest key then.
     */
    record KeyRange(long before, long upTo) {
    }

    /**
     * Upsert mode: the rows whose cursor, as {@code type}, is in {@code (before, upTo]} ({@code before} null: every
     * row up to {@code upTo}; {@code upTo} null: the source table is empty).
     */
    record CursorRange(String before, String upTo, String type) {
    }

    /** Set once by the mode's planner; read by the copier, the finisher and the progress. */
    private volatile KeyRange keyRange = new KeyRange(0, 0);
    private volatile CursorRange cursorRange = new CursorRange(null, null, null);
    /** Rows the range may hold, for progress (an upper bound: keys may have gaps). */
    long expectedRows;
    int chunks;
    /** Key ranges an interrupted run committed, skipped by this one: counted on both sides when the table ends. */
    List<Checkpoints.CommittedRange> resumedRanges = List.of();

    TableRun(TableSpec spec) {
        this.spec = spec;
    }

    void planned(KeyRange range) {
        keyRange = range;
    }

    void planned(CursorRange range) {
        cursorRange = range;
    }

    KeyRange keyRange() {
        return keyRange;
    }

    CursorRange cursorRange() {
        return cursorRange;
    }

    TableRef table() {
        return spec.table();
    }

    boolean upsert() {
        return spec.mode() == TableMode.UPSERT;
    }

    void counted(RangeCounts counts) {
        rowsCountedInSource.addAndGet(counts.inSource());
        rowsCountedOnTarget.addAndGet(counts.onTarget());
    }

    void fail(String message) {
        failure.compareAndSet(null, message);
    }

    boolean failed() {
        return failure.get() != null;
    }

    String failure() {
        return failure.get();
    }

    Duration elapsed() {
        return Duration.between(started, Instant.now());
    }
}
