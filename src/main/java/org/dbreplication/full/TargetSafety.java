package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.ServerIdentity;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replication tool that drops every object of its target is one typo away from a disaster. Two rules, checked
 * before anything is dropped:
 * <ul>
 *   <li>the target is never the source, however the URLs are written (checked when the process starts);</li>
 *   <li>a target holding tables is only replaced if it carries this tool's marker (set by the first run on an empty
 *       target) or REPLICATION_TARGET_TAKEOVER=true says to adopt it.</li>
 * </ul>
 */
public class TargetSafety {

    private static final Logger LOG = LoggerFactory.getLogger(TargetSafety.class);
    private final Settings settings;

    public TargetSafety(Settings settings) {
        this.settings = settings;
    }

    /** Refuses to start when a target URL reaches the source database. Skipped when the source cannot be reached. */
    public static void checkTargetsAreNotTheSource(Settings settings, DatabaseUrl... targets) {
        ServerIdentity source;
        try (Connection connection = Connections.openSource(settings, "safety")) {
            source = ServerIdentity.of(connection);
        } catch (SQLException | RuntimeException unreachable) {
            return;
        }
        for (DatabaseUrl target : targets) {
            try (Connection connection = Connections.open(target, settings.databases().app() + ":safety")) {
                if (ServerIdentity.of(connection).equals(source)) {
                    throw new ConfigException(target.variable(), "reaches the same database as SOURCE_DATABASE_URL ("
                            + target + " is " + settings.databases().sourceUrl() + "): refusing to run, the target is dropped and rewritten");
                }
            } catch (SQLException | Connections.DatabaseUnavailableException ignored) {
                // the step that needs this target reports it
            }
        }
    }

    /** Bean of the full route, after planning: refuses to replace a database that is not a replica of this tool. */
    public void checkReplica(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        long tablesToDrop = run.plan().dropStatements().stream().filter(s -> s.startsWith("DROP TABLE ")).count();
        String marker = Sql.ident(settings.databases().replicationSchema()) + ".target_marker";
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            boolean marked;
            try (PreparedStatement ps = target.prepareStatement("SELECT count(*) > 0 FROM " + marker);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                marked = rs.getBoolean(1);
            }
            if (marked) {
                return;
            }
            if (tablesToDrop > 0 && !settings.databases().targetTakeover()) {
                throw new TargetRefusedException("DATABASE_URL (" + settings.databases().targetUrl() + ") holds " + tablesToDrop
                        + " table(s) but is not a replica made by this tool: refusing to drop them. If it is the right"
                        + " target, set REPLICATION_TARGET_TAKEOVER=true for one run to adopt it.");
            }
            try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + marker + " (source, how) VALUES (?, ?)")) {
                ps.setString(1, settings.backup().source() == org.dbreplication.config.BackupSource.DUMP
                        ? settings.databases().sourceUrl().toString() : "backup (" + settings.backup().source().setting() + ")");
                ps.setString(2, tablesToDrop > 0 ? "takeover" : "first-run");
                ps.executeUpdate();
            }
            LOG.warn("target {} marked as a replica ({})", v("target", settings.databases().targetUrl().toString()),
                    v("how", tablesToDrop > 0 ? "takeover" : "first run"));
        }
    }

    /** The target is not a replica of this tool. */
    public static class TargetRefusedException extends RuntimeException {
        public TargetRefusedException(String message) {
            super(message);
        }
    }
}
