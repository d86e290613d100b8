package org.dbreplication.full;

import java.sql.SQLException;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a failed statement of the restore says: its {@code ERROR:} line, and whether the failure is about the object
 * being created (its definition, what the target's user may do) rather than about the session or the server.
 */
final class ObjectFailures {

    /**
     * SQLSTATE classes of failures that have nothing to do with the object: connection (08), transaction rollback
     * (40), insufficient resources (53), program limit (54), object in use / lock not available (55), operator
     * intervention (57), system (58) and internal errors (XX). (PostgreSQL, Appendix A "Error Codes".)
     */
    private static final Set<String> NOT_ABOUT_THE_OBJECT = Set.of("08", "40", "53", "54", "55", "57", "58", "XX");

    private ObjectFailures() {
    }

    static boolean isObjectLevel(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() == 5 && !NOT_ABOUT_THE_OBJECT.contains(state.substring(0, 2));
    }

    /** {@code ERROR:  relation "x" does not exist}, as the PostgreSQL tools print it. */
    static String errorLine(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        if (server != null && server.getMessage() != null) {
            return (server.getSeverity() == null ? "ERROR" : server.getSeverity()) + ":  " + server.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
