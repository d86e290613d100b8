package org.dbreplication.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dbreplication.incremental.Checkpoints.CommittedRange;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

    @Test
    void adjacentCommittedRangesAreJoinedAndGapsKept() {
        List<CommittedRange> merged = Checkpoints.merge(List.of(new CommittedRange(0, 10, 10), new CommittedRange(10, 20, 9),
                new CommittedRange(30, 40, 10), new CommittedRange(40, 45, 5)));

        assertThat(merged).containsExactly(new CommittedRange(0, 20, 19), new CommittedRange(30, 45, 15));
        assertThat(Checkpoints.merge(List.of())).isEmpty();
    }
}
