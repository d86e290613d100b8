package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the new copy before it is switched in: every copied table received as many rows as the source sent from
 * the snapshot (the source's COPY reports the rows it sent, the new copy's COPY the rows it wrote: no table is read
 * twice), and every index and constraint of every table is there. A difference fails the step naming the table and
 * both counts, or the missing objects; the live copy stays as it was.
 */
public class CopyVerification {

    private static final Logger LOG = LoggerFactory.getLogger(CopyVerification.class);
    private final Settings settings;

    public CopyVerification(Settings settings) {
        this.settings = settings;
    }

    public void check(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        List<String> problems = new ArrayList<>();
        long rows = 0;
        for (RestorePlan.TablePlan table : run.plan().tables()) {
            if (table.table().columns().isEmpty()) {
                continue;
            }
            long[] counts = run.copiedRows().getOrDefault(table.table().ref(), new long[] {-1, -1});
            if (counts[0] != counts[1] || counts[0] < 0) {
                problems.add(table.table().ref() + ": " + counts[0] + " rows read in the source snapshot, " + counts[1]
                        + " in the new copy");
            }
            rows += Math.max(0, counts[1]);
        }
        if (run.plan().tables().isEmpty()) {
            // an archive: the tables are those its rows were streamed into
            for (var table : run.copiedRows().entrySet()) {
                if (table.getValue()[0] != table.getValue()[1]) {
                    problems.add(table.getKey() + ": " + table.getValue()[0] + " rows in the archive, "
                            + table.getValue()[1] + " in the new copy");
                }
                rows += table.getValue()[1];
            }
        }
        List<String> missing = missingItems(run);
        if (!missing.isEmpty()) {
            problems.add("missing in the new copy: " + String.join(", ", missing));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the new copy differs from the source, it is not switched in (the live copy "
                    + "is as it was): " + String.join("; ", problems));
        }
        LOG.info("new copy checked: {} tables, {} rows as read in the source, every index and constraint there",
                v("tables", Math.max(run.plan().tables().size(), run.copiedRows().size())), v("rows", rows));
    }

    /** The tables' indexes and constraints the plan built that the new copy does not have. */
    private List<String> missingItems(FullRun run) throws SQLException {
        List<String> schemas = new ArrayList<>();
        List<String> relations = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (RestorePlan.TablePlan plan : run.plan().tables()) {
            TableRef table = run.names().tableOf(plan.table().ref());
            for (TocEntry item : plan.indexes()) {
                add(schemas, relations, names, kinds, table, item.displayName().substring(plan.table().ref().schema().length() + 1), "index");
            }
            for (TocEntry item : plan.constraints()) {
                // a constraint's tag is "<table> <constraint>"
                String tag = item.displayName().substring(plan.table().ref().schema().length() + 1);
                add(schemas, relations, names, kinds, table, tag.substring(plan.table().ref().name().length() + 1), "constraint");
            }
        }
        List<String> missing = new ArrayList<>();
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             PreparedStatement ps = target.prepareStatement("""
                     SELECT e.kind || ' ' || e.schema_name || '.' || e.name
                     FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS e(schema_name, relation, name, kind)
                     WHERE NOT CASE e.kind
                         WHEN 'index' THEN EXISTS (SELECT 1 FROM pg_catalog.pg_class i
                             JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
                             WHERE n.nspname = e.schema_name AND i.relname = e.name AND i.relkind IN ('i', 'I'))
                         ELSE EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                             JOIN pg_catalog.pg_class r ON r.oid = c.conrelid
                             JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
                             WHERE n.nspname = e.schema_name AND r.relname = e.relation AND c.conname = e.name)
                     END""")) {
            ps.setArray(1, target.createArrayOf("text", schemas.toArray()));
            ps.setArray(2, target.createArrayOf("text", relations.toArray()));
            ps.setArray(3, target.createArrayOf("text", names.toArray()));
            ps.setArray(4, target.createArrayOf("text", kinds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getString(1));
                }
            }
        }
        return missing;
    }

    private static void add(List<String> schemas, List<String> relations, List<String> names, List<String> kinds,
                            TableRef table, String name, String kind) {
        schemas.add(table.schema());
        relations.add(table.name());
        names.add(name);
        kinds.add(kind);
    }
}
