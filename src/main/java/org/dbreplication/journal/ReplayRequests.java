package org.dbreplication.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.dbreplication.config.Settings;
import org.dbreplication.logging.Secrets;
import org.dbreplication.pg.Sql;

/**
 * Replay requests in the journal ({@code replay_requests}): written by whoever asks for a run — the status page,
 * Jolokia/hawtio, the MBean, the {@code run} command — and claimed by a scheduling process (routes/schedule.yaml),
 * which runs them under the same lock as any run. A request's state: pending → running → succeeded / failed /
 * interrupted; a claimed request whose run is refused (another run took the lock first) is pending again.
 */
public class ReplayRequests {

    /** The exchange property naming the request a chain runs for (chain.yaml's runs.begin links the run to it). */
    public static final String REQUEST_ID = "replayRequest";

    /** One request, as the page shows it. */
    public record Request(long id, String plan, String step, String origin, String state, Instant requestedAt,
                          String claimedBy, Long runId, Instant endedAt, String message) {
    }

    private final String schema;

    private final JournalConnections connections;

    public ReplayRequests(Settings settings, JournalConnections connections) {
        this.schema = Sql.ident(settings.databases().replicationSchema());
        this.connections = connections;
    }

    private Connection connect() {
        return connections.get();
    }

    /**
     * Records a pending request.
     *
     * @param plan   all, from or only
     * @param step   the step of from / only (null for all); checked by the caller
     * @param origin page, jolokia, jmx
     * @return its id
     */
    public long request(String plan, String step, String origin) throws SQLException {
        return insert(plan, step, origin, "pending", null);
    }

    /** Records a request the calling process runs itself at once ({@code run}): already claimed. */
    public long own(String plan, String step, String origin) throws SQLException {
        return insert(plan, step, origin, "running", RunJournal.host());
    }

    private long insert(String plan, String step, String origin, String state, String claimedBy) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema
                + ".replay_requests (plan, step, origin, state, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?,"
                + " CASE WHEN ? IS NULL THEN NULL ELSE now() END) RETURNING id")) {
            ps.setString(1, plan);
            ps.setString(2, step);
            ps.setString(3, origin);
            ps.setString(4, state);
            ps.setString(5, claimedBy);
            ps.setString(6, claimedBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The run that carries out request {@code id} began. */
    public void started(long id, long runId) throws SQLException {
        update("UPDATE " + schema + ".replay_requests SET run_id = ? WHERE id = ?", runId, id);
    }

    /** Request {@code id} ended: succeeded, failed or interrupted, with why (masked). */
    public void ended(long id, String state, String message) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("UPDATE " + schema
                + ".replay_requests SET state = ?, ended_at = now(), message = ? WHERE id = ?")) {
            ps.setString(1, state);
            ps.setString(2, message == null ? null : Secrets.mask(message));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** A claimed request whose run was refused waits again for the lock to be free. */
    public void pendingAgain(long id, String why) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("UPDATE " + schema
                + ".replay_requests SET state = 'pending', claimed_by = NULL, claimed_at = NULL, message = ? WHERE id = ?")) {
            ps.setString(1, Secrets.mask(why));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** The latest requests, newest first. */
    public List<Request> recent(int limit) throws SQLException {
        List<Request> requests = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT id, plan, step, origin, state,"
                + " requested_at, claimed_by, run_id, ended_at, message FROM " + schema + ".replay_requests"
                + " ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    requests.add(new Request(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7),
                            (Long) rs.getObject(8), rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant(),
                            rs.getString(10)));
                }
            }
        }
        return requests;
    }

    private void update(String sql, long first, long second) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, first);
            ps.setLong(2, second);
            ps.executeUpdate();
        }
    }
}
