package org.dbreplication.runtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's stop, asked once (SIGTERM, through the JVM's shutdown hook) and seen everywhere. Once asked, nothing
 * new starts — no run, no step attempt, no step connection, no child process — and what runs is cut at once: the
 * actions registered with {@link #onRequest} run in their order (the run recorded as interrupted, the children
 * stopped), then every connection the steps opened is aborted, so that a COPY blocked on its socket ends now instead
 * of when its table is done.
 * <p>
 * Why static: the JVM's shutdown hook, the JDBC connection opener and the process runner share no Camel registry,
 * and there is one process to stop. Camel's own shutdown (camel.main.shutdownTimeout) then finds nothing left to
 * wait for.
 */
public final class Shutdown {

    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
    private static final Set<Connection> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final List<Runnable> ACTIONS = new CopyOnWriteArrayList<>();
    private static final Set<AutoCloseable> STREAMS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static volatile String reason;
    private static volatile boolean hookInstalled;

    private Shutdown() {
    }

    /** Installs the JVM shutdown hook that asks the stop on SIGTERM (once per process). */
    public static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> request("the process was stopped (SIGTERM or Ctrl-C)"), "stop-request"));
            hookInstalled = true;
        }
    }

    /** The command ended by itself: the JVM exits next, which is no stop to act on nor to log. */
    public static synchronized void disarm() {
        if (reason == null) {
            reason = "the command ended";
        }
    }

    public static boolean requested() {
        return reason != null;
    }

    /**
     * Logs a failure: at ERROR (an alert, Sentry's level), or at INFO when the process is stopping, whose cut
     * connections and streams it follows from (the run is recorded interrupted, not failed).
     */
    public static void logFailure(org.slf4j.Logger log, String format, Object... arguments) {
        if (requested()) {
            log.info(format + " (the process is stopping)", arguments);
        } else {
            log.error(format, arguments);
        }
    }

    /** Why the process stops, e.g. {@code the process was stopped (SIGTERM)}; null while it runs. */
    public static String reason() {
        return reason;
    }

    /** Runs {@code action} when the stop is asked, after the actions registered before it. */
    public static void onRequest(Runnable action) {
        ACTIONS.add(action);
    }

    /** Remembers a connection to abort when the stop is asked; forgotten once garbage (closed and dropped). */
    public static Connection track(Connection connection) {
        OPEN.add(connection);
        return connection;
    }

    /**
     * Closes {@code stream} when the stop is asked (a download blocked in a read ends at once), until
     * {@link #forget} is called for it; give a closer that aborts rather than drains (an HTTP body).
     */
    public static void closeOnStop(AutoCloseable stream) {
        STREAMS.add(stream);
    }

    public static void forget(AutoCloseable stream) {
        STREAMS.remove(stream);
    }

    /** Throws {@link StoppingException} once the stop was asked: {@code what} (e.g. "step full") does not start. */
    public static void refuseIfRequested(String what) {
        String why = reason;
        if (why != null) {
            throw new StoppingException(what + " not started: the process is stopping (" + why + ")");
        }
    }

    /** Asks the stop: refuses what would start, runs the registered actions, aborts the open connections. */
    public static synchronized void request(String why) {
        if (reason != null) {
            return;
        }
        reason = why;
        LOG.warn("stopping: {}; nothing new starts, what runs is interrupted", why);
        for (Runnable action : ACTIONS) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("while stopping: {}", e.getMessage());
            }
        }
        for (AutoCloseable stream : STREAMS) {
            // on a thread of its own: a close that waits (an HTTP body read to its end) never holds the stop up
            Thread closer = new Thread(() -> {
                try {
                    stream.close();
                } catch (Exception e) {
                    LOG.debug("close of a stream: {}", e.getMessage());
                }
            }, "stop-stream");
            closer.setDaemon(true);
            closer.start();
        }
        List<Connection> open;
        synchronized (OPEN) {
            open = new ArrayList<>(OPEN);
        }
        int aborted = 0;
        for (Connection connection : open) {
            try {
                if (!connection.isClosed()) {
                    // closes the socket without waiting for the server: a blocked COPY or query fails at once
                    connection.abort(Runnable::run);
                    aborted++;
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("abort of a connection: {}", e.getMessage());
            }
        }
        LOG.info("stopping: {} connections aborted", aborted);
    }

    /** Something would have started after the stop was asked. */
    public static final class StoppingException extends RuntimeException {
        public StoppingException(String message) {
            super(message);
        }
    }
}
