package org.dbreplication.incremental;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of a table before its range is planned, the same in both modes: it exists in the source and is not
 * partitioned, its key, its target table (created by the route when missing, INCREMENTAL_BOOTSTRAP), and its columns
 * (the source's added and widened columns applied to the target; an incompatible change stops the table).
 */
final class TableCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TableCheck.class);
    private final Settings settings;

    TableCheck(Settings settings) {
        this.settings = settings;
    }

    static long sourceOid(Connection source, TableRef table) throws SQLException {
        long oid = TableCatalog.oid(source, table).orElseThrow(() ->
                new TableException(table + " does not exist in the source database (BACKUP_MODE names it)"));
        if (TableCatalog.partitioned(source, oid)) {
            // every read here is FROM ONLY the table, which holds no rows of its own: nothing would ever be copied
            throw new TableException(table + " is a partitioned table in the source: its rows are in its partitions;"
                    + " name the partitions in BACKUP_MODE instead");
        }
        return oid;
    }

    static String keyColumn(TableRun run, Connection source, long sourceOid, List<Column> columns) throws SQLException {
        if (run.spec.key().isPresent()) {
            String key = run.spec.key().get();
            if (type(columns, key) == null) {
                throw new TableException(run.table() + ": key column " + key + " (BACKUP_MODE) does not exist in the source");
            }
            return key;
        }
        List<String> primaryKey = TableCatalog.primaryKey(source, sourceOid);
        if (primaryKey.size() != 1) {
            throw new TableException(run.table() + " has no single-column primary key in the source: name its key in"
                    + " BACKUP_MODE, e.g. {\"" + run.table().name() + "\": {\"mode\": \"incremental\", \"key\": \"id\"}}");
        }
        return primaryKey.get(0);
    }

    static String type(List<Column> columns, String name) {
        return columns.stream().filter(c -> c.name().equals(name)).map(Column::type).findFirst().orElse(null);
    }

    /** The target table's oid; true when the route has just created it (checkTarget, then the bootstrap). */
    boolean targetTable(TableRun run, Connection target, boolean created) throws SQLException {
        if (created) {
            LOG.info("{} created on the target from the source's definition", v("table", run.table().toString()));
        }
        run.targetOid = TableCatalog.oid(target, run.table())
                .orElseThrow(() -> new TableException(run.table() + " could not be created on the target"));
        return created;
    }

    /** Applies the source's added and widened columns to the target, or stops the table on an incompatible change. */
    void alignColumns(TableRun run, Connection source, Connection target, List<Column> sourceColumns,
                              boolean sameMajor) throws SQLException {
        List<Column> targetColumns = TableCatalog.columns(target, run.targetOid);
        SchemaDrift.Result drift = SchemaDrift.compare(run.table(), sourceColumns, targetColumns);
        if (!drift.compatible()) {
            throw new TableException(run.table() + ": the source's columns changed incompatibly: "
                    + String.join("; ", drift.problems()) + ". Nothing of this table was copied.");
        }
        if (!drift.statements().isEmpty()) {
            boolean autoCommit = target.getAutoCommit();
            target.setAutoCommit(false);
            try (Statement st = target.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '" + settings.databases().targetLockTimeoutSeconds() + "s'");
                for (String statement : drift.statements()) {
                    st.execute(statement);
                }
                target.commit();
            } catch (SQLException e) {
                target.rollback();
                throw new TableException(run.table() + ": cannot apply the source's column changes ("
                        + String.join("; ", drift.changes()) + "): " + e.getMessage());
            } finally {
                target.setAutoCommit(autoCommit);
            }
            drift.changes().forEach(change -> LOG.warn("{}: schema drift applied: {}", v("table", run.table().toString()),
                    v("change", change)));
            targetColumns = TableCatalog.columns(target, run.targetOid);
        }
        Map<String, String> targetTypes = targetColumns.stream().collect(Collectors.toMap(Column::name, Column::type));
        run.columns = sourceColumns.stream().map(Column::name).toList();
        run.binary = sameMajor && sourceColumns.stream().allMatch(c -> c.type().equals(targetTypes.get(c.name())));
    }

    /** A table cannot be replicated; the message names it and says why. */
    static class TableException extends RuntimeException {
        TableException(String message) {
            super(message);
        }
    }
}
