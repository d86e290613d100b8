package org.dbreplication.pg;

/** Quoting for the few SQL texts the tool builds itself. Identifiers from configuration never go into SQL raw. */
public final class Sql {

    private Sql() {
    }

    /** Always-quoted identifier: {@code my"table} becomes {@code "my""table"}. */
    public static String ident(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** String literal with standard_conforming_strings (the default since PostgreSQL 9.1). */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("literal contains a NUL character");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }
}
