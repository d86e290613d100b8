package org.dbreplication.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;

/**
 * The demo's data: the Pix-shaped sample put in the source ({@code sample/pix-sample.sql}), the next day's rows
 * appended to it ({@code sample/pix-sample-next-day.sql}), and what the two sides hold, counted and printed.
 */
final class DemoData {

    /** The tables the demo keeps out of the full copy for the incremental step (its BACKUP_MODE). */
    static final List<String> INCREMENTAL_TABLES = List.of("answers", "knowledge-elements");
    private static final String APP = "db-replication:demo";

    private final double scale;
    private final PrintWriter out;

    DemoData(double scale, PrintWriter out) {
        this.scale = scale;
        this.out = out;
    }

    /** The first day: the whole sample, in an empty source. */
    void fill(DatabaseUrl source) throws Exception {
        long start = System.nanoTime();
        runScript(source, "/sample/pix-sample.sql");
        out.printf("source filled with sample data (scale %s) in %.1f s%n", scale, (System.nanoTime() - start) / 1e9);
    }

    /** The next day: new rows appended to the incremental tables of the source; returns how many per table. */
    Map<String, Long> appendNextDay(DatabaseUrl source) throws Exception {
        Map<String, Long> before = rowCounts(source);
        runScript(source, "/sample/pix-sample-next-day.sql");
        Map<String, Long> after = rowCounts(source);
        Map<String, Long> appended = new LinkedHashMap<>();
        INCREMENTAL_TABLES.forEach(table -> appended.put(table, after.get(table) - before.get(table)));
        return appended;
    }

    private void runScript(DatabaseUrl source, String resource) throws Exception {
        String sql;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = Connections.open(source, APP); Statement st = c.createStatement()) {
            st.execute("SET sample.scale = " + Sql.literal(Double.toString(scale)));
            st.execute(sql);
        }
    }

    /** Both sides' row counts, table by table, then the copy's indexes, foreign keys, views and enrichment. */
    void printCopy(DatabaseUrl source, DatabaseUrl target) throws SQLException {
        Map<String, Long> sourceRows = rowCounts(source);
        Map<String, Long> targetRows = rowCounts(target);
        out.printf("  %-32s %12s %12s%n", "table", "source rows", "target rows");
        sourceRows.forEach((table, rows) -> out.printf("  %-32s %12d %12s%s%n", table, rows,
                targetRows.containsKey(table) ? targetRows.get(table).toString() : "missing",
                INCREMENTAL_TABLES.contains(table) ? "  (incremental)" : ""));
        targetRows.keySet().stream().filter(table -> !sourceRows.containsKey(table))
                .forEach(table -> out.printf("  %-32s %12s %12d  (learning content)%n", table, "-", targetRows.get(table)));
        try (Connection c = Connections.open(target, APP); Statement st = c.createStatement()) {
            out.println("  indexes: " + scalar(st, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
                    + ", foreign keys: " + scalar(st, "SELECT count(*) || ' (' || count(*) FILTER (WHERE NOT convalidated)"
                    + " || ' not validated; none from or to an incremental table)' FROM pg_constraint"
                    + " WHERE contype = 'f' AND connamespace = 'public'::regnamespace")
                    + ", views: " + scalar(st, "SELECT string_agg(quote_ident(viewname), ', ') FROM pg_views WHERE schemaname = 'public'"));
            out.println("  enrichment indexes: " + scalar(st, "SELECT string_agg(quote_ident(indexname), ', ') FROM pg_indexes"
                    + " WHERE indexname IN ('knowledge-elements_createdAt_idx', 'knowledge-element-snapshots_snappedAt_idx',"
                    + " 'answers_challengeId_idx', 'users_createdAt_idx')")
                    + " (none on the incremental tables: the full step leaves them alone)");
        }
    }

    /** The row count of every table of the public schema. */
    static Map<String, Long> rowCounts(DatabaseUrl url) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = Connections.open(url, APP); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet tables = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
                while (tables.next()) {
                    names.add(tables.getString(1));
                }
            }
            for (String table : names) {
                counts.put(table, Long.parseLong(scalar(st, "SELECT count(*) FROM public." + Sql.ident(table))));
            }
        }
        return counts;
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
