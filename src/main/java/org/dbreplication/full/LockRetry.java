package org.dbreplication.full;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs a short transaction on the target that needs locks readers may hold (moving or dropping tables), without
 * making readers wait: PostgreSQL queues every new reader of a table behind a lock request that is itself waiting
 * for a long query, so each try waits at most {@link #WAIT_PER_TRY} for its locks, gives up (rolled back, nothing
 * changed) and tries again after a pause growing from 100 ms to 5 s, until the deadline.
 */
final class LockRetry {

    /** The longest a reader may be held up behind one try. */
    static final Duration WAIT_PER_TRY = Duration.ofMillis(500);
    private static final long FIRST_PAUSE_MS = 100;
    private static final long LONGEST_PAUSE_MS = 5_000;

    /** The work of one try, in a transaction whose lock_timeout is set. */
    interface Work {
        void run(Statement st) throws SQLException;
    }

    private final Duration deadline;

    /** @param deadline how long to keep trying in all (TARGET_LOCK_TIMEOUT) */
    LockRetry(Duration deadline) {
        this.deadline = deadline;
    }

    /**
     * @return how many tries it took
     * @throws SQLException the last lock failure once the deadline has passed (naming what it waited for), or any
     *                      other failure at once; the transaction is rolled back either way
     */
    int run(Connection target, String what, Work work) throws SQLException {
        Instant end = Instant.now().plus(deadline);
        long pause = FIRST_PAUSE_MS;
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try {
            for (int tries = 1; ; tries++) {
                try (Statement st = target.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + WAIT_PER_TRY.toMillis() + "ms'");
                    work.run(st);
                    target.commit();
                    return tries;
                } catch (SQLException e) {
                    target.rollback();
                    if (!isLockWait(e) || Instant.now().plusMillis(pause).isAfter(end)) {
                        throw isLockWait(e) ? new SQLException(what + ": the locks could not be had within "
                                + deadline.toSeconds() + " s (TARGET_LOCK_TIMEOUT, " + tries + " tries): "
                                + ObjectFailures.errorLine(e), e.getSQLState(), e) : e;
                    }
                }
                sleep(pause);
                pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
            }
        } finally {
            target.setAutoCommit(autoCommit);
        }
    }

    /** lock_not_available (55P03) or a deadlock (40P01): another try may succeed. */
    static boolean isLockWait(SQLException e) {
        return "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private static void sleep(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to try again", "57014", e);
        }
    }
}
