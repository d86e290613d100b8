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
 * Ends the sessions a dead run left on the target: a process killed with SIGKILL leaves backends that go on with
 * their statement (an index build, an ALTER TABLE) until they notice their client is gone, holding their locks while
 * the next run starts. Called by a run that holds the chain's lock: no live run of this tool has sessions on this
 * database then, so every session named after a step of this tool ({@code APP:full}, {@code APP:incremental},
 * {@code APP:learning-content} in pg_stat_activity) belongs to a dead one. The journal's and the status page's
 * sessions are named otherwise and never ended.
 */
public final class OrphanSessions {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSessions.class);
    static final List<String> STEPS = List.of("full", "incremental", "learning-content");

    private OrphanSessions() {
    }

    /**
     * Ends them with pg_terminate_backend; one that cannot be ended (another role's, without pg_signal_backend) is
     * logged and left.
     *
     * @return the application names of the sessions ended, one per session
     */
    public static List<String> end(Connection c, String app) {
        List<String> ended = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pid, application_name FROM pg_catalog.pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_catalog.pg_backend_pid() AND application_name = ANY(?)")) {
            Array names = c.createArrayOf("text", STEPS.stream().map(step -> app + ":" + step).toArray());
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
                if (terminate(c, pids.get(i))) {
                    ended.add(apps.get(i));
                }
            }
        } catch (SQLException e) {
            LOG.warn("cannot look for the sessions a dead run left: {}", e.getMessage());
        }
        if (!ended.isEmpty()) {
            LOG.warn("ended {} sessions a dead run left on the target: {}", ended.size(), ended);
        }
        return ended;
    }

    /** Ends the session and waits (5 s at most) for it to be gone: its locks go with it. */
    private static boolean terminate(Connection c, long pid) {
        try (PreparedStatement end = c.prepareStatement("SELECT pg_catalog.pg_terminate_backend(?::integer)");
             PreparedStatement gone = c.prepareStatement("SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity"
                     + " WHERE pid = ?::integer)")) {
            end.setLong(1, pid);
            try (ResultSet rs = end.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
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
