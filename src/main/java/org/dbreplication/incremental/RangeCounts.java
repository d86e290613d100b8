package org.dbreplication.incremental;

import java.sql.Connection;
import java.sql.SQLException;
import org.dbreplication.pg.Sql;

/** The rows of one key range of a table, counted in the source and in the target. */
record RangeCounts(long inSource, long onTarget) {

    static RangeCounts count(TableRun run, Connection source, Connection target, long from, long to) throws SQLException {
        return new RangeCounts(rows(run, source, from, to), rows(run, target, from, to));
    }

    /** The rows of {@code (from, to]} that {@code connection} sees. */
    static long rows(TableRun run, Connection connection, long from, long to) throws SQLException {
        String key = Sql.ident(run.key);
        return IncrementalPlanner.scalarLong(connection, "SELECT count(*) FROM ONLY " + run.table().quoted() + " WHERE "
                + key + " > " + from + " AND " + key + " <= " + to);
    }

    /** Rows committed in the source after their range was read: the target has fewer. */
    boolean sourceHasMore() {
        return inSource > onTarget;
    }

    /** Fails when both sides differ, naming the range and both counts. */
    void requireEqual(TableRun run, long from, long to) {
        if (inSource != onTarget) {
            throw new IncrementalFinisher.IncrementalException(run.table() + ": after the copy, keys (" + from + ", " + to
                    + "] hold " + inSource + " rows in the source but " + onTarget + " in the target");
        }
    }
}
