package org.dbreplication.incremental;

/**
 * One unit of copy work, committed on the target with its checkpoint in one transaction.
 * <ul>
 *   <li>{@code APPEND}: the rows whose key is in {@code (rangeStart, rangeEnd]};</li>
 *   <li>{@code REPAIR}: the rows of that key range missing from the target (late commits, look-back window);</li>
 *   <li>{@code UPSERT}: the rows whose cursor moved, inserted or updated by key.</li>
 * </ul>
 */
record Chunk(TableRun table, Kind kind, long rangeStart, long rangeEnd) {

    enum Kind { APPEND, REPAIR, UPSERT }

    @Override
    public String toString() {
        return table.table() + " " + kind.name().toLowerCase() + (kind == Kind.UPSERT ? "" : " (" + rangeStart + ", " + rangeEnd + "]");
    }
}
