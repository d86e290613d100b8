package org.dbreplication.incremental;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.SourceSlots;

/**
 * The connections of one incremental run, handed from one unit of work to the next rather than opened for each
 * chunk (opening one costs 10 to 30 ms, about 5 % of a chunk). Source connections are only used within a
 * SOURCE_MAX_JOBS slot, so the run never holds more of them than the slots allow. A connection that saw an error is
 * closed rather than reused; all are closed when the step ends.
 */
final class RunConnections implements AutoCloseable {

    interface SourceWork<T> {
        T run(Connection source) throws SQLException;
    }

    interface TargetWork<T> {
        T run(Connection target) throws SQLException;
    }

    interface ChunkWork<T> {
        T run(Connection source, Connection target) throws SQLException;
    }

    private final Settings settings;
    private final SourceSlots slots;
    private final Deque<Connection> idleSources = new ConcurrentLinkedDeque<>();
    /** In manual-commit mode, no transaction open. */
    private final Deque<Connection> idleTargets = new ConcurrentLinkedDeque<>();

    RunConnections(Settings settings, SourceSlots slots) {
        this.settings = settings;
        this.slots = slots;
    }

    /** Work on the source within a slot. */
    <T> T withSource(SourceWork<T> work) throws Exception {
        return slots.withSlot(() -> {
            Connection source = takeSource();
            boolean reusable = false;
            try {
                T result = work.run(source);
                reusable = true;
                return result;
            } finally {
                giveBack(idleSources, source, reusable);
            }
        });
    }

    /** Work reading the source within a slot and writing the target in manual-commit mode, committing itself. */
    <T> T withSourceAndTarget(ChunkWork<T> work) throws Exception {
        return withSource(source -> withTarget(target -> work.run(source, target)));
    }

    /** Work on the target alone, in manual-commit mode, committing itself. */
    <T> T withTarget(TargetWork<T> work) throws SQLException {
        Connection target = takeTarget();
        boolean reusable = false;
        try {
            T result = work.run(target);
            target.rollback(); // nothing when the work committed, as it must
            reusable = true;
            return result;
        } finally {
            giveBack(idleTargets, target, reusable);
        }
    }

    private Connection takeSource() throws SQLException {
        Connection idle = idleSources.pollFirst();
        if (idle != null) {
            return idle;
        }
        Connection source = Connections.openSource(settings, "incremental");
        source.setReadOnly(true);
        return source;
    }

    private Connection takeTarget() throws SQLException {
        Connection idle = idleTargets.pollFirst();
        if (idle != null) {
            return idle;
        }
        Connection target = Connections.open(settings.databases().incrementalTargetUrl(), settings.databases().app() + ":incremental");
        target.setAutoCommit(false);
        return target;
    }

    private static void giveBack(Deque<Connection> idle, Connection connection, boolean reusable) {
        if (reusable) {
            idle.addFirst(connection);
        } else {
            closeQuietly(connection);
        }
    }

    @Override
    public void close() {
        for (Deque<Connection> idle : java.util.List.of(idleSources, idleTargets)) {
            Connection connection;
            while ((connection = idle.pollFirst()) != null) {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a broken connection: the work's own error is the one reported
        }
    }
}
