package org.dbreplication.pg;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the sessions a dead run left on the target and on the source: a process killed with SIGKILL leaves backends
 * that go on with their statement (an index build, an ALTER TABLE, a COPY) until they notice their client is gone,
 * holding their locks and the source's snapshot while the next run starts. Called by a run that holds the chain's
 * lock: no live run of this tool works for this target then, so every session named after a step of this tool on
 * the target ({@code APP:full}, {@code APP:incremental}, {@code APP:learning-content} in pg_stat_activity) belongs to
 * a dead one. On the source, other targets' runs may read at the same time: there the name carries a tag of the
 * target ({@code APP:full@1a2b3c4d}), and only this target's sessions are ended. The journal's and the status
 * page's sessions are named otherwise and never ended.
 */
public final class OrphanSessions {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSessions.class);
    static final List<String> STEPS = List.of("full", "incremental", "learning-content");

    /** PostgreSQL keeps the first NAMEDATALEN - 1 bytes of an application_name. */
    private static final int NAME_BYTES = 63;

    private OrphanSessions() {
    }

    /**
     * The name of this tool's sessions of {@code step} on the source: {@code app:step@tag}, the tag the first 8 hex
     * digits of the SHA-256 of the target's {@code host:port/database} (no credentials), so that two targets reading
     * one source are told apart. Without a target: {@code app:step}.
     */
    public static String sourceApplicationName(String app, String step, DatabaseUrl target) {
        if (target == null) {
            return app + ":" + step;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((target.host() + ":" + target.port()
                    + "/" + target.database()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return app + ":" + step + "@" + java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * On the source (if SOURCE_DATABASE_URL is set): ends this target's sessions of the full and incremental steps.
     * A source that cannot be reached within 5 s is logged and left: the step that reads it will say why.
     *
     * @return the application names of the sessions ended, one per session
     */
    public static List<String> endOnSource(org.dbreplication.config.Settings settings) {
        return endOnSource(settings, 5, true);
    }

    /** At SIGTERM: the same within 2 s, not waiting for the sessions to be gone. */
    public static List<String> endOnSourceNow(org.dbreplication.config.Settings settings) {
        return endOnSource(settings, 2, false);
    }

    /** At SIGTERM, on the target: {@link #end} without waiting for the sessions to be gone. */
    public static List<String> endNow(Connection c, String app) {
        return end(c, STEPS.stream().map(step -> app + ":" + step).toList(), "target", false);
    }

    private static List<String> endOnSource(org.dbreplication.config.Settings settings, int seconds, boolean wait) {
        if (!settings.databases().hasSourceUrl()) {
            return List.of();
        }
        List<String> names = List.of(settings.databases().sourceApp("full"), settings.databases().sourceApp("incremental"));
        try (Connection source = Connections.openBriefly(settings.databases().sourceUrl(), settings.databases().app() + ":journal", seconds)) {
            return end(source, names, "source", wait);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot look for the sessions a dead run left on the source: {}", Connections.firstLineOf(e.getMessage()));
            return List.of();
        }
    }

    /**
     * Ends them with pg_terminate_backend; one that cannot be ended (another role's, without pg_signal_backend) is
     * logged and left.
     *
     * @return the application names of the sessions ended, one per session
     */
    public static List<String> end(Connection c, String app) {
        return end(c, STEPS.stream().map(step -> app + ":" + step).toList(), "target", true);
    }

    private static List<String> end(Connection c, List<String> applicationNames, String side, boolean wait) {
        List<String> ended = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pid, application_name FROM pg_catalog.pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_catalog.pg_backend_pid() AND application_name = ANY(?)")) {
            Array names = c.createArrayOf("text", applicationNames.stream().map(OrphanSessions::asStored).toArray());
            ps.setArray(1, names);
            List<Long> pids = new ArrayList<>();
            List<String> apps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                    apps.add(rs.getString(2));
                }
            }
            for (int i = 0; i < pids.size(); i++) {
                if (terminate(c, pids.get(i), wait)) {
                    ended.add(apps.get(i));
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot look for the sessions a dead run left on the {}: {}", side, e.getMessage());
        }
        if (!ended.isEmpty()) {
            LOG.warn(wait ? "ended {} sessions a dead run left on the {}: {}" : "ended {} sessions of the stopped run on the {}: {}",
                    ended.size(), side, ended);
        }
        return ended;
    }

    /** The name as pg_stat_activity shows it: cut to 63 bytes, never inside a character. */
    static String asStored(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= NAME_BYTES) {
            return name;
        }
        int end = name.length();
        while (name.substring(0, end).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_BYTES) {
            end--;
        }
        return name.substring(0, end);
    }

    /** Ends the session and, if {@code wait}, waits (5 s at most) for it to be gone: its locks go with it. */
    private static boolean terminate(Connection c, long pid, boolean wait) {
        try (PreparedStatement end = c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(?::integer)");
             PreparedStatement gone = c.prepareStatement("SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity"
                     + " WHERE pid = ?::integer)")) {
            end.setLong(1, pid);
            try (ResultSet rs = end.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
            if (!wait) {
                return true;
            }
            gone.setLong(1, pid);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = gone.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
                Thread.sleep(50);
            }
            return true;
        } catch (SQLException e) {
            LOG.warn("cannot end session {} a dead run left: {}", pid, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
