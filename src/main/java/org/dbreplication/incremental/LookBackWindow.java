package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds rows committed late below the watermark: a transaction took its key before the last run read the source's
 * maximum and committed after it. Over the INCREMENTAL_LOOKBACK_ROWS keys below the watermark, compares the row
 * count of both sides and, only when they differ, the counts per key bucket (1 % of the window, at least 1000
 * keys); returns the buckets where the source has more rows.
 */
final class LookBackWindow {

    private static final Logger LOG = LoggerFactory.getLogger(LookBackWindow.class);

    /** A key range {@code (from, to]} whose rows the target partly lacks. */
    record Range(long from, long to) {
    }

    private LookBackWindow() {
    }

    /** The buckets of {@code (from, to]} where the source holds more rows than the target. */
    static List<Range> rangesToRepair(TableRun run, Connection source, Connection target, long from, long to)
            throws SQLException {
        // the usual case, nothing committed late, costs one count on each side (a late row and a row deleted in the
        // source within the same window would cancel out: append-only tables do not delete)
        RangeCounts window = RangeCounts.count(run, source, target, from, to);
        if (window.inSource() == window.onTarget()) {
            return List.of();
        }
        long width = Math.max(1000, (to - from) / 100);
        String key = Sql.ident(run.key);
        String buckets = "SELECT (" + key + " - " + from + " - 1) / " + width + ", count(*) FROM ONLY " + run.table().quoted()
                + " WHERE " + key + " > " + from + " AND " + key + " <= " + to + " GROUP BY 1";
        Map<Long, Long> onTarget = counts(target, buckets);
        List<Range> ranges = new ArrayList<>();
        for (Map.Entry<Long, Long> bucket : counts(source, buckets).entrySet()) {
            long start = from + bucket.getKey() * width;
            long targetRows = onTarget.getOrDefault(bucket.getKey(), 0L);
            if (bucket.getValue() > targetRows) {
                ranges.add(new Range(start, Math.min(to, start + width)));
            } else if (bucket.getValue() < targetRows) {
                LOG.warn("{}: the target holds more rows than the source between keys {} and {} (rows deleted in the source?)",
                        v("table", run.table().toString()), v("from_key", start), v("to_key", start + width));
            }
        }
        LOG.info("{}: rows committed late found below the watermark in {} key ranges: they are copied",
                v("table", run.table().toString()), v("ranges", ranges.size()));
        return ranges;
    }

    private static Map<Long, Long> counts(Connection connection, String sql) throws SQLException {
        Map<Long, Long> counts = new HashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return counts;
    }
}
