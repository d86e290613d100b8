package org.dbreplication.journal;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.Sql;

/**
 * The run journal in the tool's schema of the target (DATABASE_URL): runs, step attempts and what each step did.
 * A run holds a PostgreSQL advisory lock for its whole duration, so that two runs never overlap on one target,
 * whatever process started them.
 */
public class RunJournal implements AutoCloseable {

    /** The advisory lock key (two ints: a constant of this tool, 1 for "the chain"). */
    public static final int LOCK_CLASS = 0x6462_7270;
    public static final int LOCK_CHAIN = 1;

    public record Run(long id, String trigger, String plan, String status, Instant startedAt, Instant endedAt,
                      String error, String host) {
    }

    public record Attempt(long runId, String step, int attempt, String status, Instant startedAt, Instant endedAt,
                          String error) {
    }

    /** A run in progress: its id and the connection that holds the lock. */
    public static final class ActiveRun implements AutoCloseable {
        private final long id;
        private volatile Connection lockHolder;

        ActiveRun(long id, Connection lockHolder) {
            this.id = id;
            this.lockHolder = lockHolder;
        }

        public long id() {
            return id;
        }

        /** False once the session holding the lock has ended (the server restarted, the connection was cut). */
        boolean holdsLock() {
            try {
                return lockHolder.isValid(5);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try {
                lockHolder.close();
            } catch (SQLException ignored) {
                // closing the session releases the lock anyway
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunJournal.class);
    private final Settings settings;
    private final String schema;
    private final JournalConnections connections;
    private final boolean ownsConnections;

    /** A journal with connections of its own (a one-off reader: report, demo); close it when done. */
    public RunJournal(Settings settings) {
        this(settings, new JournalConnections(settings.databases().targetUrl(), settings.databases().app() + ":journal"), true);
    }

    /** A journal on the process's shared connections, which the process closes. */
    public RunJournal(Settings settings, JournalConnections connections) {
        this(settings, connections, false);
    }

    private RunJournal(Settings settings, JournalConnections connections, boolean owns) {
        this.settings = settings;
        this.schema = Sql.ident(settings.databases().replicationSchema());
        this.connections = connections;
        this.ownsConnections = owns;
    }

    @Override
    public void close() {
        if (ownsConnections) {
            connections.close();
        }
    }

    private DatabaseUrl url() {
        return settings.databases().targetUrl();
    }

    /** A pooled connection: never for the advisory lock (see {@link JournalConnections#dedicated()}). */
    private Connection connect() {
        return connections.get();
    }

    /** The connections this journal writes with, shared with the replay requests and the progress. */
    public JournalConnections connections() {
        return connections;
    }

    /**
     * Starts a run: takes the lock or refuses, naming the active run. Also marks as interrupted the runs left
     * "running" by a process that died (nobody holds the lock any more).
     */
    public ActiveRun begin(String trigger, String plan) throws SQLException {
        return begin(trigger, plan, null);
    }

    /** The same for a run that resumes the interrupted night whose first run is {@code resumes} (null: a new night). */
    public ActiveRun begin(String trigger, String plan, Long resumes) throws SQLException {
        Connection holder = connections.dedicated();
        try {
            if (!tryLock(holder)) {
                String active = latestRunning().map(r -> "run #" + r.id() + " (" + r.trigger() + ", " + r.plan()
                        + ", started " + r.startedAt() + " by " + r.host() + ")").orElse("another run");
                throw new RunRefusedException("refused: " + active + " is active on " + url().variable() + " ("
                        + url() + "); try again when it is over");
            }
            markInterrupted(holder, "the process running it stopped before the end");
            org.dbreplication.pg.OrphanSessions.end(holder, settings.databases().app());
            org.dbreplication.pg.OrphanSessions.endOnSource(settings);
            // a process that died left its files (password file included): the one taking over removes them
            org.dbreplication.pg.WorkDirectory.removeStale(settings.runtime().workDir());
            try (PreparedStatement ps = holder.prepareStatement("INSERT INTO " + schema + ".runs (trigger, plan, status, host,"
                    + " resumes_run_id) VALUES (?, ?, 'running', ?, ?) RETURNING id")) {
                ps.setString(1, trigger);
                ps.setString(2, plan);
                ps.setString(3, host());
                ps.setObject(4, resumes, java.sql.Types.BIGINT);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new ActiveRun(rs.getLong(1), holder);
                }
            }
        } catch (SQLException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    /** At process start: runs left "running" with nobody holding the lock are marked interrupted. */
    public int markInterruptedRuns() throws SQLException {
        // a session of its own: it takes the lock, which closing it releases (a pooled one would keep it)
        try (Connection c = connections.dedicated()) {
            return tryLock(c) ? markInterrupted(c, "the process running it stopped before the end") : 0;
        }
    }

    /** Takes the chain's lock for the session of {@code c}; false when another session holds it. */
    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, LOCK_CHAIN);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private int markInterrupted(Connection c, String reason) throws SQLException {
        try (PreparedStatement runs = c.prepareStatement("UPDATE " + schema + ".runs SET status = 'interrupted',"
                + " ended_at = now(), error = ? WHERE status = 'running'");
             PreparedStatement attempts = c.prepareStatement("UPDATE " + schema + ".step_attempts SET status = 'interrupted',"
                     + " ended_at = now(), error = ? WHERE status = 'running'")) {
            attempts.setString(1, reason);
            attempts.executeUpdate();
            runs.setString(1, reason);
            int interrupted = runs.executeUpdate();
            interruptRequests(c);
            return interrupted;
        }
    }

    /**
     * The replay requests whose run was interrupted are interrupted too, and those claimed over a minute ago whose
     * run never began (the claiming process died in between).
     */
    private void interruptRequests(Connection c) throws SQLException {
        try (PreparedStatement requests = c.prepareStatement("UPDATE " + schema + ".replay_requests r SET state = 'interrupted',"
                + " ended_at = now(), message = coalesce(u.error, 'the process running it stopped before its run began')"
                + " FROM (SELECT r2.id, x.error FROM " + schema + ".replay_requests r2 LEFT JOIN " + schema + ".runs x"
                + " ON x.id = r2.run_id WHERE r2.state = 'running' AND (x.status = 'interrupted'"
                + " OR (x.id IS NULL AND r2.claimed_at < now() - interval '1 minute'))) u"
                + " WHERE r.id = u.id")) {
            requests.executeUpdate();
        }
    }

    /** Marks the run interrupted now (graceful stop on SIGTERM). */
    public void interrupt(long runId, String reason) {
        try (Connection c = connect();
             PreparedStatement runs = c.prepareStatement("UPDATE " + schema + ".runs SET status = 'interrupted',"
                     + " ended_at = now(), error = ? WHERE id = ? AND status = 'running'");
             PreparedStatement attempts = c.prepareStatement("UPDATE " + schema + ".step_attempts SET status = 'interrupted',"
                     + " ended_at = now(), error = ? WHERE run_id = ? AND status = 'running'")) {
            attempts.setString(1, reason);
            attempts.setLong(2, runId);
            attempts.executeUpdate();
            runs.setString(1, reason);
            runs.setLong(2, runId);
            runs.executeUpdate();
            interruptRequests(c);
        } catch (SQLException | RuntimeException ignored) {
            // best effort: the next start marks it interrupted anyway
        }
    }

    public void finish(long runId, String status, String error) throws SQLException {
        // a run already recorded interrupted (the process is stopping) stays so
        update("UPDATE " + schema + ".runs SET status = ?, ended_at = now(), error = ? WHERE id = ? AND status = 'running'",
                status, error, runId);
    }

    /**
     * Before each attempt: a run whose lock session ended (the target restarted between two attempts) takes the
     * lock again, so that two runs never overlap; when another run took it meanwhile, this one is refused.
     */
    public void keepLock(ActiveRun run) throws SQLException {
        if (run.holdsLock()) {
            return;
        }
        Connection holder = connections.dedicated();
        if (!tryLock(holder)) {
            holder.close();
            throw new RunRefusedException("run #" + run.id() + " lost its lock on " + url().variable() + " (its session"
                    + " ended: the server restarted?) and another run holds it now");
        }
        run.close();
        run.lockHolder = holder;
        LOG.warn("run {} took its lock again: the session that held it had ended", run.id());
    }

    public int attemptStarted(long runId, String step) throws SQLException {
        // an earlier attempt whose end could not be written (the journal's server was down) is not left "running"
        update("UPDATE " + schema + ".step_attempts SET status = 'failed', ended_at = now(), error = coalesce(error,"
                + " 'its end could not be recorded: the journal was unreachable') WHERE run_id = ? AND step = ?"
                + " AND status = 'running'", runId, step);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".step_attempts"
                + " (run_id, step, attempt, status) SELECT ?, ?, coalesce(max(attempt), 0) + 1, 'running' FROM " + schema
                + ".step_attempts WHERE run_id = ? AND step = ? RETURNING attempt")) {
            ps.setLong(1, runId);
            ps.setString(2, step);
            ps.setLong(3, runId);
            ps.setString(4, step);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public void attemptEnded(long runId, String step, String status, String error) throws SQLException {
        update("UPDATE " + schema + ".step_attempts SET status = ?, ended_at = now(), error = ? WHERE run_id = ? AND step = ?"
                + " AND status = 'running' AND attempt = (SELECT max(attempt) FROM " + schema + ".step_attempts WHERE run_id = ? AND step = ?)",
                status, error, runId, step, runId, step);
    }

    /**
     * The latest attempt of the step, still running, failed; when there is none (the failure came before its start
     * was recorded), a failed attempt is added, so that every attempt the error handler made is in the journal.
     */
    public void attemptFailed(long runId, String step, String error) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("WITH latest AS (UPDATE " + schema
                + ".step_attempts SET status = 'failed', ended_at = now(), error = ? WHERE run_id = ? AND step = ?"
                + " AND status = 'running' AND attempt = (SELECT max(attempt) FROM " + schema + ".step_attempts"
                + " WHERE run_id = ? AND step = ?) RETURNING 1)"
                + " INSERT INTO " + schema + ".step_attempts (run_id, step, attempt, status, ended_at, error)"
                + " SELECT ?, ?, coalesce(max(attempt), 0) + 1, 'failed', now(), ? FROM " + schema + ".step_attempts"
                + " WHERE run_id = ? AND step = ? HAVING NOT EXISTS (SELECT FROM latest)")) {
            ps.setString(1, error);
            ps.setLong(2, runId);
            ps.setString(3, step);
            ps.setLong(4, runId);
            ps.setString(5, step);
            ps.setLong(6, runId);
            ps.setString(7, step);
            ps.setString(8, error);
            ps.setLong(9, runId);
            ps.setString(10, step);
            ps.executeUpdate();
        }
    }

    public record Item(String category, String name, Instant start, Instant end, long rows) {
    }

    /**
     * An object a step left out of the copy, and why.
     *
     * @param definition the statements that create it, for an operator to replay, or null
     */
    public record Warning(String step, String object, String error, String definition) {

        public Warning(String step, String object, String error) {
            this(step, object, error, null);
        }
    }

    /** Records the warnings of the step's current (last started) attempt; secrets masked. */
    public void warnings(long runId, String step, Collection<Warning> warnings) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".step_warnings"
                + " (run_id, step, attempt, object, error, definition) SELECT ?, ?, coalesce(max(attempt), 1), ?, ?, ? FROM "
                + schema + ".step_attempts WHERE run_id = ? AND step = ?")) {
            for (Warning warning : warnings) {
                ps.setLong(1, runId);
                ps.setString(2, step);
                ps.setString(3, org.dbreplication.logging.Secrets.mask(warning.object()));
                ps.setString(4, org.dbreplication.logging.Secrets.mask(warning.error()));
                ps.setString(5, warning.definition() == null ? null : org.dbreplication.logging.Secrets.mask(warning.definition()));
                ps.setLong(6, runId);
                ps.setString(7, step);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The warnings of the last attempt of each step of a run, in the order they were recorded. */
    public List<Warning> warnings(long runId) throws SQLException {
        return rows("SELECT w.step, w.object, w.error, w.definition FROM {schema}.step_warnings w WHERE w.run_id = ?"
                + " AND w.attempt = (SELECT max(a.attempt) FROM {schema}.step_attempts a WHERE a.run_id = w.run_id"
                + " AND a.step = w.step) ORDER BY w.at, w.object", runId).stream()
                .map(r -> new Warning(r.get(0), r.get(1), r.get(2), r.get(3))).toList();
    }

    public void restoreItems(long runId, Collection<Item> items) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".restore_items"
                + " (run_id, category, name, started_at, ended_at, rows) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Item item : items) {
                ps.setLong(1, runId);
                ps.setString(2, item.category());
                ps.setString(3, item.name());
                ps.setTimestamp(4, Timestamp.from(item.start()));
                ps.setTimestamp(5, Timestamp.from(item.end()));
                if (item.rows() < 0) {
                    ps.setNull(6, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(6, item.rows());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void incrementalResult(long runId, String table, long rows, String before, String after, long millis) throws SQLException {
        update("INSERT INTO " + schema + ".incremental_results (run_id, table_name, rows, key_before, key_after, duration_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?)", runId, table, rows, before, after, millis);
    }

    public void learningContentCount(long runId, String table, long rows) throws SQLException {
        update("INSERT INTO " + schema + ".learning_content_counts (run_id, table_name, rows) VALUES (?, ?, ?)", runId, table, rows);
    }

    public void webhookResult(long runId, String url, String status, Integer httpStatus, int attempts, String error) throws SQLException {
        update("INSERT INTO " + schema + ".webhook_results (run_id, url, status, http_status, attempts, error)"
                + " VALUES (?, ?, ?, ?, ?, ?)", runId, url, status, httpStatus, attempts, error);
    }

    public List<Run> recentRuns(int limit) throws SQLException {
        return runs("ORDER BY id DESC LIMIT " + Math.max(1, limit));
    }

    public Optional<Run> run(long id) throws SQLException {
        return runs("WHERE id = " + id).stream().findFirst();
    }

    /** The latest run the schedule started, or a resumption of one (what the scheduling process may resume). */
    public Optional<Run> latestNightly() throws SQLException {
        return runs("WHERE trigger IN ('schedule', 'resume') ORDER BY id DESC LIMIT 1").stream().findFirst();
    }

    /** The runs of the night {@code runId} belongs to: its first run and its resumptions, in order. */
    public List<Run> night(long runId) throws SQLException {
        return runs("WHERE id = (SELECT coalesce(resumes_run_id, id) FROM " + schema + ".runs WHERE id = " + runId + ")"
                + " OR resumes_run_id = (SELECT coalesce(resumes_run_id, id) FROM " + schema + ".runs WHERE id = " + runId
                + ") ORDER BY id");
    }

    public Optional<Run> latestRunning() throws SQLException {
        return runs("WHERE status = 'running' ORDER BY id DESC LIMIT 1").stream().findFirst();
    }

    private List<Run> runs(String clause) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT id, trigger, plan, status, started_at,"
                + " ended_at, error, host FROM " + schema + ".runs " + clause); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                        instant(rs, 6), rs.getString(7), rs.getString(8)));
            }
        }
        return runs;
    }

    public List<Attempt> attempts(long runId) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT run_id, step, attempt, status,"
                + " started_at, ended_at, error FROM " + schema + ".step_attempts WHERE run_id = ? ORDER BY started_at, attempt")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.add(new Attempt(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), instant(rs, 5),
                            instant(rs, 6), rs.getString(7)));
                }
            }
        }
        return attempts;
    }

    /** Rows of a journal table for one run, as text, for the report. */
    public List<List<String>> rows(String sql, long runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql.replace("{schema}", schema))) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return Sql.textRows(rs);
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    static String host() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    /**
     * SIGTERM during a run: ends this run's sessions on the target and the source at once (an index build or a
     * pg_dump's lock request would otherwise go on in the server after the process is gone), without waiting for
     * them to be gone. The run holds the lock, so every session named after a step is this run's.
     */
    public void endStepSessions() {
        try (Connection c = Connections.openBriefly(url(), settings.databases().app() + ":journal", 2)) {
            org.dbreplication.pg.OrphanSessions.endNow(c, settings.databases().app());
        } catch (SQLException | RuntimeException e) {
            LOG.warn("while stopping, cannot end the run's sessions on the target: {}", Connections.firstLineOf(String.valueOf(e.getMessage())));
        }
        org.dbreplication.pg.OrphanSessions.endOnSourceNow(settings);
    }

    /** This process as the journal names it (pid@host). */
    public static String processName() {
        return host();
    }

    /** Another run holds the lock. */
    public static class RunRefusedException extends RuntimeException {
        public RunRefusedException(String message) {
            super(message);
        }
    }
}
