package org.dbreplication.incremental;

/**
 * One unit of copy work, committed on the target with its checkpoint in one transaction.
 * <ul>
 *   <li>{@code APPEND}: the rows whose key is in {@code (rangeStart, rangeEnd]}, then that range counted on both
 *   sides (rows committed in the source meanwhile are copied too);</li>
 *   <li>{@code REPAIR}: the rows of that key range missing from the target;</li>
 *   <li>{@code LOOKBACK}: the rows missing from the target in that key range below the watermark (late commits);</li>
 *   <li>{@code UPSERT}: the rows whose cursor moved, inserted or updated by key.</li>
 * </ul>
 */
record Chunk(TableRun table, Kind kind, long rangeStart, long rangeEnd) {

    enum Kind { APPEND, REPAIR, LOOKBACK, UPSERT }

    @Override
    public String toString() {
        return table.table() + " " + kind.name().toLowerCase() + (kind == Kind.UPSERT ? "" : " (" + rangeStart + ", " + rangeEnd + "]");
    }
}
