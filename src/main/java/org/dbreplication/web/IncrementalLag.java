package org.dbreplication.web;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.TableRef;

/**
 * How far behind the source each table in incremental mode is: the source's newest key (MAX over its key, an
 * index lookup) minus the watermark the target's checkpoints hold. Needs SOURCE_DATABASE_URL in the web process;
 * without it, or with a source that does not answer, there is no lag to show.
 */
final class IncrementalLag {

    private IncrementalLag() {
    }

    /** @param checkpoints rows of (schema, table, key column, copied_through) */
    static List<MultiGauge.Row<?>> of(Settings settings, List<List<String>> checkpoints) {
        if (checkpoints.isEmpty() || !settings.databases().hasSourceUrl()) {
            return List.of();
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        try (Connection source = Connections.openSource(settings, "web"); Statement st = source.createStatement()) {
            st.setQueryTimeout(5);
            for (List<String> checkpoint : checkpoints) {
                TableRef table = new TableRef(checkpoint.get(0), checkpoint.get(1));
                try (ResultSet rs = st.executeQuery("SELECT max(" + org.dbreplication.pg.Sql.ident(checkpoint.get(2))
                        + ")::bigint FROM " + table.quoted())) {
                    if (rs.next() && rs.getObject(1) != null) {
                        rows.add(MultiGauge.Row.of(Tags.of("table", table.toString()),
                                Math.max(0, rs.getLong(1) - Long.parseLong(checkpoint.get(3)))));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            return rows;
        }
        return rows;
    }
}
