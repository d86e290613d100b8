package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a table in "upsert" mode: the rows whose cursor column moved since the last run — above the checkpoint's
 * cursor (else the target's largest), minus INCREMENTAL_UPSERT_LOOKBACK for time cursors (rows committed late), up
 * to the source's largest cursor now — in one chunk, inserted or updated by key.
 */
record UpsertPlanner(Settings settings, Checkpoints checkpoints, TableCheck check) {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertPlanner.class);

    /** @param created the route has just created the target table (INCREMENTAL_BOOTSTRAP) */
    List<Chunk> plan(TableRun run, Connection source, Connection target, boolean sameMajor, boolean created)
            throws SQLException {
        TableRef table = run.table();
        long sourceOid = TableCheck.sourceOid(source, table);
        List<Column> sourceColumns = TableCatalog.columns(source, sourceOid);
        run.key = TableCheck.keyColumn(run, source, sourceOid, sourceColumns);
        String cursorColumn = run.spec.cursor().orElseThrow();
        String cursorType = TableCheck.type(sourceColumns, cursorColumn);
        if (cursorType == null) {
            throw new TableCheck.TableException(table + ": cursor column " + cursorColumn + " does not exist in the source");
        }
        check.targetTable(run, target, created);
        check.alignColumns(run, source, target, sourceColumns, sameMajor);
        String cursor = Sql.ident(cursorColumn);
        Optional<Checkpoints.Checkpoint> checkpoint = checkpoints.read(target, table)
                .filter(c -> c.targetOid() == run.targetOid && c.cursorThrough() != null);
        String targetMax = scalarText(target, "SELECT max(" + cursor + ")::text FROM " + table.quoted());
        String before = null;
        if (checkpoint.isPresent()) {
            before = checkpoint.get().cursorThrough();
        } else if (targetMax != null) {
            before = targetMax;
        } else if (!created && !settings.incremental().bootstrap()) {
            throw new TableCheck.TableException(table.name() + " table must not be empty on target database"
                    + " (copy it once, or set INCREMENTAL_BOOTSTRAP=true to let the incremental step copy it whole)");
        }
        String upTo = scalarText(source, "SELECT max(" + cursor + ")::text FROM ONLY " + table.quoted());
        if (upTo == null) {
            run.planned(new TableRun.CursorRange(before, null, cursorType));
            return List.of();
        }
        if (before != null && (cursorType.startsWith("timestamp") || cursorType.equals("date"))) {
            // rows updated by transactions that committed after the last run read the cursor's maximum
            try (PreparedStatement ps = target.prepareStatement("SELECT (?::" + cursorType + " - ?::interval)::text")) {
                ps.setString(1, before);
                ps.setString(2, settings.incremental().upsertLookback());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    before = rs.getString(1);
                }
            }
        }
        run.planned(new TableRun.CursorRange(before, upTo, cursorType));
        run.expectedRows = 0;
        LOG.info("{}: upserting rows whose {} is in ({}, {}]", v("table", table.toString()), v("cursor", cursorColumn),
                v("from_cursor", String.valueOf(before)), v("to_cursor", upTo));
        return List.of(new Chunk(run, Chunk.Kind.UPSERT, 0, 0));
    }

    private static String scalarText(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
