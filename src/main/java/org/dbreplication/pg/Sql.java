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

    /** A SQL text shipped in the jar (src/main/resources), e.g. {@code sql/full/droppable-objects.sql}. */
    public static String resource(String path) {
        try (java.io.InputStream in = Sql.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read resource " + path, e);
        }
    }

    /** String literal with standard_conforming_strings (the default since PostgreSQL 9.1). */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("literal contains a NUL character");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** Every row of {@code rs}, each as its columns' text (null for NULL). */
    public static java.util.List<java.util.List<String>> textRows(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            java.util.List<String> row = new java.util.ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                row.add(rs.getString(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
