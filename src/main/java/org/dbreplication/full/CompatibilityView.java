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

    public void apply() throws SQLException, IOException {
        String sql;
        try (InputStream in = getClass().getResourceAsStream("/sql/compatibility-views.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection target = Connections.open(settings.targetUrl(), settings.app() + ":full");
             Statement st = target.createStatement()) {
            st.execute(sql);
        }
    }
}
