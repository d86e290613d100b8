package org.dbreplication.full;

import java.time.Duration;
import java.time.Instant;

/**
 * One unit of restore work with its timing: a pg_restore item (INDEX, CONSTRAINT, FK CONSTRAINT, …) or a table
 * part copied by the tool itself (TABLE DATA), or a sequence value (SEQUENCE SET). Feeds the timing report.
 */
public record RestoreItem(String category, String name, Instant start, Instant end, long rows) {

    public Duration duration() {
        return Duration.between(start, end);
    }
}
