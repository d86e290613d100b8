package org.dbreplication.incremental;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules that turn a table's key range into chunks, kept apart from the catalog reads that feed them so that
 * they are tested as units (KeyRangesTest). Ranges are half-open on the left, {@code (start, end]}, as the chunks'
 * {@code WHERE key > start AND key <= end}.
 */
final class KeyRanges {

    /** A key range {@code (start, end]}. */
    record Range(long start, long end) {
    }

    private KeyRanges() {
    }

    /**
     * The parts of {@code (from, to]} still to copy: the ranges an interrupted run committed (sorted by start, as
     * {@link Checkpoints#committedRanges} gives them) are skipped; those ending at or below {@code from} are ignored.
     */
    static List<Range> gaps(long from, long to, List<Checkpoints.CommittedRange> committed) {
        List<Range> gaps = new ArrayList<>();
        long cursor = from;
        for (Checkpoints.CommittedRange done : committed) {
            if (done.end() <= from) {
                continue;
            }
            long end = Math.min(done.start(), to);
            if (end > cursor) {
                gaps.add(new Range(cursor, end));
            }
            cursor = Math.max(cursor, done.end());
        }
        if (to > cursor) {
            gaps.add(new Range(cursor, to));
        }
        return gaps;
    }

    /**
     * Whether {@code (from, to]} may be cut by key width without reading the keys: keys are dense enough (the
     * source's statistics give {@code density}, rows per key) that cutting by width makes at most about twice the
     * chunks that cutting by row count would, plus one.
     */
    static boolean cutByWidth(double density, long from, long to, long width) {
        double expectedRows = density * (to - from);
        long byWidth = (to - from + width - 1) / width;
        return density > 0 && byWidth <= 2 * Math.ceil(expectedRows / width) + 1;
    }

    /** {@code (from, to]} in consecutive ranges of {@code width} keys, the last one shorter. */
    static List<Range> byWidth(long from, long to, long width) {
        List<Range> ranges = new ArrayList<>();
        for (long start = from; start < to; start += width) {
            ranges.add(new Range(start, Math.min(to, start + width)));
        }
        return ranges;
    }

    /** {@code (from, to]} cut at the given keys (ascending, inside the range: every width-th key present). */
    static List<Range> atBoundaries(long from, long to, List<Long> boundaries) {
        List<Range> ranges = new ArrayList<>();
        long start = from;
        for (long boundary : boundaries) {
            ranges.add(new Range(start, boundary));
            start = boundary;
        }
        if (start < to) {
            ranges.add(new Range(start, to));
        }
        return ranges;
    }
}
