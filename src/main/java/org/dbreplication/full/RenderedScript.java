package org.dbreplication.full;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL that {@code pg_restore --file} renders from an archive, cut into its entries so that each one can be run
 * on its own (and fail on its own): the session settings pg_restore writes at the top, then one {@link Entry} per
 * archive item, found by pg_restore's {@code -- Name: …; Type: …; Schema: …; Owner: …} headers.
 *
 * <p>Two kinds of lines are not SQL: psql's restrict / unrestrict meta-command guards that pg_dump
 * writes since 15.14 (the script is run by JDBC here, where no meta-command can run anyway), which are left out; and
 * the {@code SET default_tablespace} / {@code SET default_table_access_method} lines pg_restore writes between
 * entries, which are settings for what follows and are kept apart from the entry before them.
 */
public record RenderedScript(List<String> settings, List<Entry> entries) {

    /**
     * One archive item as SQL.
     *
     * @param type     pg_dump's description: TABLE, VIEW, FUNCTION, COMMENT, …
     * @param schema   its schema, {@code -} for objects outside schemas
     * @param name     its tag (functions with their argument types)
     * @param settings settings lines to run before it (outside any savepoint)
     * @param sql      its statements
     */
    public record Entry(String type, String schema, String name, List<String> settings, String sql) {

        /** {@code VIEW public.user-answers}, {@code CAST (text AS public.pair)}, for logs and warnings. */
        public String displayName() {
            return type + " " + (schema.equals("-") ? name : schema + "." + name);
        }
    }

    private static final Pattern HEADER = Pattern.compile(
            "^--\\n-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*\\n--\\n", Pattern.MULTILINE);
    private static final Pattern GUARD = Pattern.compile("^\\\\(?:restrict|unrestrict) \\S+$");
    private static final Pattern BETWEEN_ENTRIES = Pattern.compile(
            "^SET (?:default_tablespace|default_table_access_method|default_with_oids) = .*;$");

    public static RenderedScript read(Path script) {
        try {
            return parse(Files.readString(script));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script, e);
        }
    }

    static RenderedScript parse(String script) {
        Matcher header = HEADER.matcher(script);
        List<int[]> bounds = new ArrayList<>();
        List<String[]> names = new ArrayList<>();
        while (header.find()) {
            bounds.add(new int[] {header.start(), header.end()});
            names.add(new String[] {header.group(2), header.group(3), header.group(1)});
        }
        Body preamble = body(script.substring(0, bounds.isEmpty() ? script.length() : bounds.get(0)[0]));
        List<String> pending = new ArrayList<>(preamble.settings());
        List<String> settings = new ArrayList<>(preamble.statements().lines().filter(l -> !l.isBlank()
                && !l.startsWith("--")).toList());
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) {
            int end = i + 1 < bounds.size() ? bounds.get(i + 1)[0] : script.length();
            Body body = body(script.substring(bounds.get(i)[1], end));
            String[] name = names.get(i);
            entries.add(new Entry(name[0], name[1], name[2], List.copyOf(pending), body.statements()));
            pending = new ArrayList<>(body.settings());
        }
        return new RenderedScript(List.copyOf(settings), List.copyOf(entries));
    }

    private record Body(String statements, List<String> settings) {
    }

    /** The statements of one stretch of the script, without guards, and the settings lines found in it. */
    private static Body body(String text) {
        StringBuilder statements = new StringBuilder();
        List<String> settings = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (GUARD.matcher(line).matches()) {
                continue;
            }
            if (BETWEEN_ENTRIES.matcher(line).matches()) {
                settings.add(line);
            } else {
                statements.append(line).append('\n');
            }
        }
        return new Body(statements.toString().strip(), settings);
    }
}
