package org.dbreplication.full;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;

/**
 * Keeps renamed tables visible under their old names for existing analytics queries
 * (sql/compatibility-views.sql: "schooling-registrations" over "organization-learners").
 */
public class CompatibilityView {

    private final Settings settings;

    public CompatibilityView(Settings settings) {
        this.settings = settings;
    }

    /** Creates the views in the new copy's {@code public} schema (the live one when the copy is built in place). */
    public void apply(@org.apache.camel.ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException, IOException {
        String sql;
        try (InputStream in = getClass().getResourceAsStream("/sql/compatibility-views.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             Statement st = target.createStatement()) {
            target.setAutoCommit(false);
            String schema = run.names().schemaOf("public");
            st.execute("SET LOCAL search_path = " + org.dbreplication.pg.Sql.ident(schema));
            st.execute(sql);
            target.commit();
        }
    }
}
