package org.dbreplication.incremental;

import java.util.List;

/** The tables of one execution of the incremental step, carried by the exchange (property {@value #PROPERTY}). */
final class IncrementalRun {

    static final String PROPERTY = "incrementalRun";

    final List<TableRun> tables;

    IncrementalRun(List<TableRun> tables) {
        this.tables = tables;
    }
}
