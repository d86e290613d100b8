package org.dbreplication.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dbreplication.incremental.Checkpoints.CommittedRange;
import org.dbreplication.incremental.KeyRanges.Range;
import org.junit.jupiter.api.Test;

/** Keys → chunks, as units: the ranges still to copy, and how each is cut. */
class KeyRangesTest {

    @Test
    void aFirstRunCopiesTheWholeRangeAndAResumedOneOnlyWhatItsPredecessorDidNotCommit() {
        assertThat(KeyRanges.gaps(100, 1000, List.of())).containsExactly(new Range(100, 1000));
        // committed (200, 300] and (500, 600] by the interrupted run; (0, 50] is older than the watermark
        List<CommittedRange> committed = List.of(new CommittedRange(0, 50, 50), new CommittedRange(200, 300, 100),
                new CommittedRange(500, 600, 100));
        assertThat(KeyRanges.gaps(100, 1000, committed))
                .containsExactly(new Range(100, 200), new Range(300, 500), new Range(600, 1000));
        // the run ends inside or before a committed range: nothing past the source's maximum
        assertThat(KeyRanges.gaps(100, 550, committed)).containsExactly(new Range(100, 200), new Range(300, 500));
        assertThat(KeyRanges.gaps(100, 250, committed)).containsExactly(new Range(100, 200));
        // everything was committed: nothing left
        assertThat(KeyRanges.gaps(100, 300, List.of(new CommittedRange(100, 300, 200)))).isEmpty();
        assertThat(KeyRanges.gaps(500, 500, List.of())).isEmpty();
    }

    @Test
    void denseKeysAreCutByWidthWithoutReadingThem() {
        // a sequence with a few gaps: 0.9 rows per key
        assertThat(KeyRanges.cutByWidth(0.9, 0, 1_000_000, 100_000)).isTrue();
        assertThat(KeyRanges.byWidth(0, 250, 100)).containsExactly(new Range(0, 100), new Range(100, 200), new Range(200, 250));
        assertThat(KeyRanges.byWidth(250, 250, 100)).isEmpty();
    }

    @Test
    void sparseKeysAreCutAtKeysReadFromTheTable() {
        // 1 row per 1,000 keys: by width, a thousand times too many chunks
        assertThat(KeyRanges.cutByWidth(0.001, 0, 100_000_000, 100_000)).isFalse();
        assertThat(KeyRanges.cutByWidth(0, 0, 1000, 100)).as("no statistics").isFalse();
        assertThat(KeyRanges.atBoundaries(0, 10_000, List.of(3_000L, 7_000L)))
                .containsExactly(new Range(0, 3_000), new Range(3_000, 7_000), new Range(7_000, 10_000));
        // the last boundary is the last key: no empty range after it
        assertThat(KeyRanges.atBoundaries(0, 7_000, List.of(3_000L, 7_000L)))
                .containsExactly(new Range(0, 3_000), new Range(3_000, 7_000));
    }
}
