package org.dbreplication.pg;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Streams rows from one server to another with COPY, row by row through the JDBC driver: each row read from the
 * source's COPY … TO STDOUT is written as it is to the target's COPY … FROM STDIN. Nothing is held in memory but
 * the row in flight; both COPY statements must use the same format and column list.
 */
public final class CopyStream {

    private static final int BUFFER = 1 << 16;

    private CopyStream() {
    }

    /** Rows read from the source's COPY and rows the target's COPY reports it wrote. */
    public record Counts(long read, long written) {
    }

    /** Returns the number of rows the target received. */
    public static long copy(Connection source, String copyOut, Connection target, String copyIn) throws SQLException {
        return copyCounting(source, copyOut, target, copyIn).written();
    }

    /**
     * Live counts of a copy for its progress: rows and bytes handed to the target so far, added at each message sent
     * (every 64 kB), read by another thread.
     */
    public record Meter(java.util.concurrent.atomic.LongAdder rows, java.util.concurrent.atomic.LongAdder bytes) {
        public Meter() {
            this(new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder());
        }
    }

    /** Like {@link #copy}, with both sides' counts: the rows the source says it sent (COPY's command tag), the rows the target says it wrote. */
    public static Counts copyCounting(Connection source, String copyOut, Connection target, String copyIn)
            throws SQLException {
        return copyCounting(source, copyOut, target, copyIn, null);
    }

    /** The same, adding to {@code meter} (null: none) as the rows go. */
    public static Counts copyCounting(Connection source, String copyOut, Connection target, String copyIn, Meter meter)
            throws SQLException {
        CopyOut reader = source.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOut);
        CopyIn writer;
        try {
            writer = target.unwrap(PGConnection.class).getCopyAPI().copyIn(copyIn);
        } catch (SQLException e) {
            cancel(reader);
            throw e;
        }
        try {
            // rows arrive one message each; they leave in messages of up to 64 kB (fewer messages for the target)
            byte[] buffer = new byte[BUFFER];
            int used = 0;
            int rowsInBuffer = 0;
            long metered = 0;
            byte[] row;
            while ((row = reader.readFromCopy()) != null) {
                if (used + row.length > BUFFER) {
                    writer.writeToCopy(buffer, 0, used);
                    if (meter != null) {
                        meter.rows().add(rowsInBuffer);
                        meter.bytes().add(used);
                        metered += rowsInBuffer;
                    }
                    used = 0;
                    rowsInBuffer = 0;
                }
                rowsInBuffer++;
                if (row.length > BUFFER) {
                    writer.writeToCopy(row, 0, row.length);
                    if (meter != null) {
                        meter.rows().add(rowsInBuffer);
                        meter.bytes().add(row.length);
                        metered += rowsInBuffer;
                    }
                    rowsInBuffer = 0;
                } else {
                    System.arraycopy(row, 0, buffer, used, row.length);
                    used += row.length;
                }
            }
            if (used > 0) {
                writer.writeToCopy(buffer, 0, used);
            }
            if (meter != null) {
                meter.rows().add(rowsInBuffer);
                meter.bytes().add(used);
                metered += rowsInBuffer;
            }
            long written = writer.endCopy();
            if (meter != null) {
                // a binary COPY's trailer came as one more message: the meter ends on the rows written
                meter.rows().add(written - metered);
            }
            return new Counts(reader.getHandledRowCount(), written);
        } catch (SQLException | RuntimeException e) {
            cancel(writer);
            cancel(reader);
            throw e;
        }
    }

    private static void cancel(org.postgresql.copy.CopyOperation operation) {
        try {
            // not once the process stops: its connections are aborted, and pgjdbc would spin on a closed socket
            if (operation.isActive() && !org.dbreplication.runtime.Shutdown.requested()) {
                operation.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the first error is the one to report
        }
    }
}
