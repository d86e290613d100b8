package org.dbreplication;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;

/** Small JDBC helpers for assertions. */
public final class Db {

    private Db() {
    }

    public static void execute(DatabaseUrl url, String sql) {
        try (Connection c = Connections.open(url, "tests"); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static String scalar(DatabaseUrl url, String sql) {
        List<List<String>> rows = rows(url, sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public static long count(DatabaseUrl url, String sql) {
        return Long.parseLong(scalar(url, sql));
    }

    public static List<String> column(DatabaseUrl url, String sql) {
        return rows(url, sql).stream().map(r -> r.get(0)).toList();
    }

    public static List<List<String>> rows(DatabaseUrl url, String sql) {
        try (Connection c = Connections.open(url, "tests"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return org.dbreplication.pg.Sql.textRows(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
        }
    }

    /**
     * Everything observable in the public schema: each relation with its kind, each table's row count and content
     * checksum, indexes, constraints (with validation state), types, functions, sequence values and comments.
     */
    public static Map<String, String> state(DatabaseUrl url) {
        Map<String, String> state = new TreeMap<>();
        for (List<String> r : rows(url, """
                SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r','v','m','S','i','p')""")) {
            state.put("relation " + r.get(0), r.get(1));
        }
        for (String table : column(url, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")) {
            state.put("rows " + table, scalar(url, "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                    + " FROM public." + table + " t"));
        }
        for (List<String> r : rows(url, """
                SELECT conrelid::regclass::text || ' ' || conname, contype::text || ' ' || convalidated::text || ' ' || pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace""")) {
            state.put("constraint " + r.get(0), r.get(1));
        }
        for (List<String> r : rows(url, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")) {
            state.put("index " + r.get(0), r.get(1));
        }
        for (List<String> r : rows(url, "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t"
                + " JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname")) {
            state.put("enum " + r.get(0), r.get(1));
        }
        for (List<String> r : rows(url, "SELECT p.oid::regprocedure::text, md5(p.prosrc) FROM pg_proc p"
                + " WHERE p.pronamespace = 'public'::regnamespace")) {
            state.put("function " + r.get(0), r.get(1));
        }
        for (List<String> r : rows(url, "SELECT sequencename, coalesce(last_value::text, 'null') FROM pg_sequences WHERE schemaname = 'public'")) {
            state.put("sequence " + r.get(0), r.get(1));
        }
        for (List<String> r : rows(url, "SELECT c.relname, d.description FROM pg_description d JOIN pg_class c ON c.oid = d.objoid"
                + " AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 WHERE c.relnamespace = 'public'::regnamespace")) {
            state.put("comment " + r.get(0), r.get(1));
        }
        return state;
    }
}
