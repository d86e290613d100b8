package org.dbreplication.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dbreplication.full.TocEntry;
import org.dbreplication.logging.Secrets;

/**
 * What a PostgreSQL client tool (pg_dump, pg_restore, psql) reported on stderr, read back: every error the server
 * (or the tool) raised, with what the tool said it was doing, and the one line an operator reads first.
 * <p>
 * Why: the cause is rarely the last line. A parallel pg_restore ends with "a worker process died unexpectedly",
 * psql ends with the {@code LINE 1:} excerpt; the {@code ERROR:} line with the object it concerns comes before.
 * <p>
 * Pure: {@link #parse} takes the stderr lines as the tool printed them (without the executor's timestamps, see
 * {@link ProcessCommandExecutor#withoutTimestamp}); nothing is run or read here. Texts are masked with
 * {@link Secrets#mask}.
 *
 * @param tool     the tool's name as it prefixes its lines ("pg_restore")
 * @param errors   every error, in the order printed; empty when the tool printed no server error
 * @param lastLines the last meaningful lines (progress lines of --verbose left out), at most {@value #LAST_LINES}
 */
public record ToolErrors(String tool, List<ToolError> errors, List<String> lastLines) {

    /** How many lines the summary shows when no error has a severity. */
    public static final int LAST_LINES = 4;

    /**
     * The archive item pg_restore was processing, from its line
     * {@code from TOC entry 3207; 1259 20276 INDEX u_v_key postgres}.
     *
     * @param dumpId      the item's dump id (its number in {@code pg_restore --list})
     * @param classOid    catalog of the object (pg_class, pg_constraint…), 0 when none
     * @param objectOid   the object's OID in the source, 0 when none
     * @param description pg_dump's kind of item: INDEX, CONSTRAINT, FK CONSTRAINT, MATERIALIZED VIEW DATA…
     * @param name        pg_dump's tag: the object's name, preceded by its table's for constraints and triggers
     *                    ("child child_parent_id_fkey"); unquoted, so only for people to read
     * @param owner       the owner pg_dump recorded
     */
    public record TocItem(int dumpId, long classOid, long objectOid, String description, String name, String owner) {

        /** {@code INDEX u_v_key}. */
        @Override
        public String toString() {
            return description + " " + name;
        }
    }

    /**
     * Where in a script psql was: {@code psql:/work/replace.sql:12: ERROR: …}.
     *
     * @param file the script as psql names it
     * @param line its line number, from 1
     */
    public record ScriptLine(String file, int line) {

        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /**
     * One error.
     *
     * @param message the error from its severity on: {@code ERROR:  relation "t" does not exist} (also FATAL or
     *                PANIC); kept whole when it says which connection failed
     * @param details the lines after it that belong to it (DETAIL:, HINT:, QUERY:, CONTEXT:, LINE n:, Command was:)
     * @param item    the archive item being restored, when pg_restore said so
     * @param script  the script and line, when psql ran a file
     */
    public record ToolError(String message, List<String> details, Optional<TocItem> item, Optional<ScriptLine> script) {
    }

    private static final Pattern SEVERITY = Pattern.compile("\\b(ERROR|FATAL|PANIC):\\s");
    private static final Pattern FROM_TOC = Pattern.compile("from TOC entry (\\d+; .*)$");
    private static final Pattern PSQL_SCRIPT = Pattern.compile("^psql:(.+):(\\d+): (ERROR|FATAL|PANIC):\\s");
    /** The levels of the tools' own messages; lines without one are progress (--verbose). */
    private static final List<String> LEVELS = List.of("error: ", "warning: ", "detail: ", "hint: ");

    /**
     * Reads a tool's stderr.
     *
     * @param tool  the tool's name, as it prefixes its lines
     * @param lines the stderr lines, in order, without timestamps
     */
    public static ToolErrors parse(String tool, List<String> lines) {
        List<ToolError> errors = new ArrayList<>();
        TocItem pendingItem = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher toc = FROM_TOC.matcher(line);
            if (line.startsWith(tool + ": ") && toc.find()) {
                pendingItem = tocItem(toc.group(1));
                continue;
            }
            Matcher severity = SEVERITY.matcher(line);
            Matcher psql = PSQL_SCRIPT.matcher(line);
            boolean scriptError = psql.find();
            if (!isError(tool, line, scriptError) || !severity.find()) {
                continue;
            }
            Optional<ScriptLine> script = scriptError
                    ? Optional.of(new ScriptLine(psql.group(1), Integer.parseInt(psql.group(2)))) : Optional.empty();
            List<String> details = new ArrayList<>();
            while (i + 1 < lines.size() && isDetail(tool, lines.get(i + 1))) {
                String detail = lines.get(++i).strip();
                if (!detail.isEmpty() && !detail.equals("^")) {
                    details.add(Secrets.mask(detail));
                }
            }
            errors.add(new ToolError(Secrets.mask(message(tool, line, severity.start())), List.copyOf(details),
                    Optional.ofNullable(pendingItem), script));
            pendingItem = null;
        }
        return new ToolErrors(tool, List.copyOf(errors), lastLines(tool, lines));
    }

    /**
     * The one line for the step's error: the tool, its exit code, the first error with the item or script line it
     * concerns, and how many more errors there were; without any error, the tool's last meaningful lines.
     * E.g. {@code pg_restore failed (exit code 1) restoring INDEX u_v_key: ERROR:  could not create unique index "u_v_key"}.
     */
    public String summary(int exitCode) {
        return summary(exitCode, "");
    }

    /**
     * The same, naming what the tool worked on after its name, e.g. {@code pg_restore of archive /w/backup.pgsql
     * failed (exit code 1): pg_restore: error: could not read from input file: end of file} or {@code pg_dump
     * (output file /w/full-1/pre-data.dump) failed …}; {@code subject} is given by the caller and never holds a secret (a
     * file name, never a connection string).
     */
    public String summary(int exitCode, String subject) {
        String head = tool + (subject.isEmpty() ? "" : " " + subject) + " failed (exit code " + exitCode + ")";
        if (errors.isEmpty()) {
            return head + ": " + (lastLines.isEmpty() ? "(no error message)" : String.join(" | ", lastLines));
        }
        ToolError first = errors.get(0);
        String where = first.item().map(item -> " restoring " + item)
                .or(() -> first.script().map(script -> " at " + script)).orElse("");
        int more = errors.size() - 1;
        String others = more == 0 ? "" : " (and " + more + " more error" + (more == 1 ? "" : "s") + ")";
        return head + where + ": " + first.message() + others;
    }

    private static TocItem tocItem(String entry) {
        return TocEntry.parse(entry).map(e -> {
            // the tag then the owner, which is one word
            int lastSpace = e.label().lastIndexOf(' ');
            String name = lastSpace < 0 ? e.label() : e.label().substring(0, lastSpace);
            String owner = lastSpace < 0 ? "" : e.label().substring(lastSpace + 1);
            return new TocItem(e.dumpId(), e.classOid(), e.objectOid(), e.desc(), name, owner);
        }).orElse(null);
    }

    /** From the severity on, unless the words before say which connection failed. */
    private static String message(String tool, String line, int severityAt) {
        String text = line.startsWith(tool + ": error: ") ? line.substring(tool.length() + ": error: ".length()) : line;
        return text.startsWith("connection to server") ? text : line.substring(severityAt);
    }

    /**
     * A server error as the tools print it: on its own ({@code ERROR:  …}, psql -c), after the tool's error
     * ({@code pg_restore: error: could not execute query: ERROR:  …}), after psql's script position. Not a text
     * that merely holds the word (a failed command quoted below an error).
     */
    private static boolean isError(String tool, String line, boolean scriptError) {
        return scriptError || line.startsWith("ERROR:") || line.startsWith("FATAL:") || line.startsWith("PANIC:")
                || line.startsWith(tool + ": error: ") && SEVERITY.matcher(line).find();
    }

    /** A line that belongs to the error above it: PostgreSQL's fields, the failed command and its continuation. */
    private static boolean isDetail(String tool, String line) {
        if (line.isBlank() || line.startsWith("psql:") || isError(tool, line, false)) {
            return false;
        }
        if (line.startsWith(tool + ": ")) {
            return line.startsWith(tool + ": detail: ") || line.startsWith(tool + ": hint: ");
        }
        return true;
    }

    /** Without blank lines and the tool's progress lines (those without a level: error, warning, detail, hint). */
    private static List<String> lastLines(String tool, List<String> lines) {
        String prefix = tool + ": ";
        List<String> meaningful = lines.stream().filter(l -> !l.isBlank())
                .filter(l -> !l.startsWith(prefix) || LEVELS.stream().anyMatch(level -> l.startsWith(prefix + level)))
                .map(String::strip).map(Secrets::mask).toList();
        return List.copyOf(meaningful.subList(Math.max(0, meaningful.size() - LAST_LINES), meaningful.size()));
    }
}
