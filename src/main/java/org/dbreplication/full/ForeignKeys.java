package org.dbreplication.full;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;

/**
 * RESTORE_FK_CONSTRAINTS=not-valid: creates the source's foreign keys as NOT VALID — the same metadata for
 * analysts and their tools, without the hours of validation scans (the source already guaranteed the rows).
 * With {@code true} they are restored by pg_restore with the other post-data items; with {@code false}, not at all.
 */
public class ForeignKeys {

    private final Settings settings;

    public ForeignKeys(Settings settings) {
        this.settings = settings;
    }

    public void createNotValid(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        if (run.plan().notValidForeignKeys().isEmpty() && run.notValidStatements().isEmpty()) {
            return;
        }
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             Statement st = target.createStatement()) {
            target.setAutoCommit(false);
            st.execute("SET LOCAL lock_timeout = '" + settings.databases().targetLockTimeoutSeconds() + "s'");
            for (SourceCatalog.ForeignKey fk : run.plan().notValidForeignKeys()) {
                Instant start = Instant.now();
                st.execute("ALTER TABLE ONLY " + run.names().tableOf(fk.table()).quoted() + " ADD CONSTRAINT "
                        + Sql.ident(fk.name()) + " " + run.names().rewrite(fk.definition()) + " NOT VALID");
                run.items().add(new RestoreItem("FK CONSTRAINT", fk.table() + " " + fk.name(), start, Instant.now(), -1));
            }
            for (String statement : run.notValidStatements()) {
                Instant start = Instant.now();
                st.execute(run.names().rewrite(statement));
                run.items().add(new RestoreItem("FK CONSTRAINT", statement.replaceAll("\\s+", " ").replaceAll(" FOREIGN KEY.*", ""),
                        start, Instant.now(), -1));
            }
            target.commit();
        }
    }
}
