package org.dbreplication.cli;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code demo}: a source and a target database on a local or embedded server, the source filled with Pix-shaped
 * sample data, the chain run between them, and what it did printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the chain on a built-in demo and prints what it did.",
                "Creates the databases demo_source and demo_target (DEMO_DATABASE_URL, else the local server at "
                        + "127.0.0.1:5432, else an embedded PostgreSQL 15), fills the source with Pix-shaped sample "
                        + "data and replicates it."})
class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Cli cli;

    @Option(names = "--scale", defaultValue = "1", description = "sample size: 1 ≈ 90k knowledge-elements (default: ${DEFAULT-VALUE})")
    double scale;

    @Override
    public Integer call() throws Exception {
        try (DemoServer server = DemoServer.start(cli.variables.get("DEMO_DATABASE_URL"), cli.out)) {
            DatabaseUrl source = server.recreate("demo_source");
            DatabaseUrl target = server.recreate("demo_target");
            long start = System.nanoTime();
            fill(source);
            cli.out.printf("source filled with sample data (scale %s) in %.1f s%n", scale, (System.nanoTime() - start) / 1e9);

            Map<String, String> variables = new HashMap<>(cli.variables);
            variables.put("SOURCE_DATABASE_URL", url(source));
            variables.put("DATABASE_URL", url(target));
            variables.putIfAbsent("LOG_FORMAT", "text");
            cli.out.println("running: db-replication run   (SOURCE_DATABASE_URL=" + source + ", DATABASE_URL=" + target + ")");
            cli.out.flush();
            start = System.nanoTime();
            int code = Cli.execute(variables, cli.out, cli.err, "run");
            double seconds = (System.nanoTime() - start) / 1e9;
            if (code != Cli.OK) {
                cli.out.printf("the run failed (exit code %d) after %.1f s%n", code, seconds);
                return code;
            }
            cli.out.printf("the run succeeded in %.1f s. What the target holds now:%n", seconds);
            report(source, target);
            cli.out.println("explore it: psql '" + url(target) + "'");
            return Cli.OK;
        }
    }

    private static String url(DatabaseUrl url) {
        return url.toString();
    }

    private void fill(DatabaseUrl source) throws Exception {
        String sql;
        try (InputStream in = getClass().getResourceAsStream("/sample/pix-sample.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = Connections.open(source, "db-replication:demo"); Statement st = c.createStatement()) {
            st.execute("SET sample.scale = " + Sql.literal(Double.toString(scale)));
            st.execute(sql);
        }
    }

    private void report(DatabaseUrl source, DatabaseUrl target) throws SQLException {
        Map<String, Long> sourceRows = rowCounts(source);
        Map<String, Long> targetRows = rowCounts(target);
        cli.out.printf("  %-32s %12s %12s%n", "table", "source rows", "target rows");
        sourceRows.forEach((table, rows) -> cli.out.printf("  %-32s %12d %12s%n", table, rows,
                targetRows.containsKey(table) ? targetRows.get(table).toString() : "missing"));
        try (Connection c = Connections.open(target, "db-replication:demo"); Statement st = c.createStatement()) {
            cli.out.println("  indexes: " + scalar(st, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
                    + ", foreign keys: " + scalar(st, "SELECT count(*) || ' (' || count(*) FILTER (WHERE NOT convalidated)"
                    + " || ' not validated)' FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace")
                    + ", views: " + scalar(st, "SELECT string_agg(quote_ident(viewname), ', ') FROM pg_views WHERE schemaname = 'public'"));
            cli.out.println("  enrichment indexes: " + scalar(st, "SELECT string_agg(quote_ident(indexname), ', ') FROM pg_indexes"
                    + " WHERE indexname IN ('knowledge-elements_createdAt_idx', 'knowledge-element-snapshots_snappedAt_idx',"
                    + " 'answers_challengeId_idx', 'users_createdAt_idx')"));
        }
    }

    private static Map<String, Long> rowCounts(DatabaseUrl url) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = Connections.open(url, "db-replication:demo"); Statement st = c.createStatement();
             ResultSet tables = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
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
