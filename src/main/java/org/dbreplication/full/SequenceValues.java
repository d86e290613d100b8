package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;

/**
 * Sets every replicated sequence to the state read from the source ({@code last_value} and {@code is_called}, as
 * pg_dump's SEQUENCE SET): the next id on the copy is the one the source would give.
 */
public class SequenceValues {

    private final Settings settings;

    public SequenceValues(Settings settings) {
        this.settings = settings;
    }

    public void apply(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full");
             PreparedStatement exists = target.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL");
             PreparedStatement setval = target.prepareStatement("SELECT pg_catalog.setval(?::regclass, ?, ?)")) {
            for (SourceCatalog.SequenceValue sequence : run.plan().sequences()) {
                String name = run.names().tableOf(sequence.sequence()).quoted();
                exists.setString(1, name);
                try (var rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        continue;
                    }
                }
                Instant start = Instant.now();
                setval.setString(1, name);
                setval.setLong(2, sequence.lastValue());
                setval.setBoolean(3, sequence.isCalled());
                setval.execute();
                run.items().add(new RestoreItem("SEQUENCE SET", sequence.sequence().toString(), start, Instant.now(), -1));
            }
        }
    }
}
