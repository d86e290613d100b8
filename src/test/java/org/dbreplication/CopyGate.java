package org.dbreplication;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;

/**
 * Holds a full step in the middle of its rows: the source table public.gated has a CHECK that waits for advisory lock
 * 4242, which the gate holds on the target; every COPY into the target's copy of it waits there. A state to wait for
 * ({@link #waiters}), not a race with the copy's speed. Closing the gate's connection opens it.
 */
public final class CopyGate implements AutoCloseable {

    /** The function of the gate's CHECK: waits for the gate to open, then lets the row in. */
    public static final String FUNCTION = """
            CREATE FUNCTION public.copy_gate(id bigint) RETURNS boolean LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN true; END $$;
            """;

    /** The source's gated table (1000 rows) and the function of its CHECK. */
    public static final String SOURCE_TABLE = FUNCTION + """
            CREATE TABLE public.gated (id integer PRIMARY KEY, v text, CHECK (public.copy_gate(id)));
            INSERT INTO public.gated SELECT g, 'v' || g FROM generate_series(1, 1000) g;
            """;

    private final DatabaseUrl target;
    private final Connection holder;

    private CopyGate(DatabaseUrl target, Connection holder) {
        this.target = target;
        this.holder = holder;
    }

    /** Closes the gate on {@code target} (a superuser URL: it reads every session's locks). */
    public static CopyGate close(DatabaseUrl target) throws SQLException {
        Connection holder = Connections.open(target, "tests-copy-gate");
        try (Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(4242)");
        }
        return new CopyGate(target, holder);
    }

    /** The pids of the sessions named {@code applicationName} waiting at the gate now. */
    public List<String> waiters(String applicationName) {
        return Db.column(target, """
                SELECT a.pid::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = '%s'""".formatted(applicationName));
    }

    /** Opens the gate. */
    @Override
    public void close() throws SQLException {
        holder.close();
    }
}
