package org.dbreplication.pg;

import java.util.List;

/**
 * Source connections run with {@code row_security=off} (as pg_dump): PostgreSQL then refuses a query that a
 * row-level security policy would filter, instead of returning part of the table's rows. The messages here say
 * what an operator can do about it.
 */
public final class RowSecurity {

    private static final String REFUSAL = "row-level security policy for table";
    private static final String ADVICE = "the role of SOURCE_DATABASE_URL is subject to row-level security there (it is"
            + " not the owner, or the table has FORCE ROW LEVEL SECURITY): it would read only the rows the policies let"
            + " through, so the table is not copied; read the source with a role that bypasses row-level security"
            + " (BYPASSRLS or superuser), or ALTER TABLE … NO FORCE ROW LEVEL SECURITY when the role owns the table";

    private RowSecurity() {
    }

    /**
     * The first line of {@code message} (PostgreSQL's {@code ERROR:} line, which names the table), followed by what
     * to do when it is the row-security refusal; any other message is returned as it is.
     */
    public static String explain(String message) {
        if (message == null || !message.contains(REFUSAL)) {
            return message;
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)) + " — " + ADVICE;
    }

    /** The error for tables found, before reading them, to be under row-level security for the source role. */
    public static String tablesFiltered(List<String> tables) {
        return "source table" + (tables.size() > 1 ? "s " : " ") + String.join(", ", tables) + ": " + ADVICE;
    }
}
