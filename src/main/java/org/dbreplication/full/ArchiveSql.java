package org.dbreplication.full;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dbreplication.pg.TableRef;

/**
 * What the SQL that pg_restore renders from an archive says about each entry, for archives restored without their
 * source database at hand: the table an index, constraint, default, trigger or comment belongs to, and the table a
 * foreign key references. Entries are found by pg_restore's "-- Name: …; Type: …; Schema: …" headers.
 */
final class ArchiveSql {

    record Entry(String statement, Optional<TableRef> table, Optional<TableRef> referenced) {
    }

    private static final Pattern HEADER = Pattern.compile("^-- Name: (.*); Type: (.*); Schema: (.*); Owner: .*$", Pattern.MULTILINE);
    private static final String NAME = "(\"(?:[^\"]|\"\")*\"|[A-Za-z_][\\w$]*)";
    private static final Pattern OWNING = Pattern.compile("(?:ALTER TABLE (?:ONLY )?|\\sON (?:ONLY )?|OWNED BY |COMMENT ON TABLE |"
            + "COMMENT ON COLUMN )" + NAME + "\\." + NAME);
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES " + NAME + "\\." + NAME);

    private final Map<String, Entry> entries;

    private ArchiveSql(Map<String, Entry> entries) {
        this.entries = entries;
    }

    static ArchiveSql read(Path script) {
        String sql;
        try {
            sql = Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script, e);
        }
        Map<String, Entry> entries = new HashMap<>();
        Matcher header = HEADER.matcher(sql);
        List<int[]> spans = new java.util.ArrayList<>();
        List<String> keys = new java.util.ArrayList<>();
        while (header.find()) {
            spans.add(new int[] {header.end(), 0});
            keys.add(key(header.group(2), header.group(3), header.group(1)));
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = i + 1 < spans.size() ? sql.lastIndexOf("--\n-- Name:", spans.get(i + 1)[0]) : sql.length();
            String statement = sql.substring(spans.get(i)[0], Math.max(spans.get(i)[0], end)).strip();
            entries.put(keys.get(i), new Entry(statement, table(OWNING, statement), table(REFERENCES, statement)));
        }
        return new ArchiveSql(entries);
    }

    /** The entry of a list line (its description, schema and tag, as pg_restore prints them in both places). */
    Optional<Entry> of(TocEntry entry) {
        String label = entry.displayName();
        int space = label.indexOf(' ');
        String schema = space < 0 ? "-" : label.substring(0, space);
        String tag = space < 0 ? label : label.substring(space + 1);
        return Optional.ofNullable(entries.get(key(entry.desc(), schema, tag)));
    }

    private static String key(String type, String schema, String name) {
        return type + "|" + schema + "|" + name;
    }

    private static Optional<TableRef> table(Pattern pattern, String statement) {
        Matcher m = pattern.matcher(statement);
        return m.find() ? Optional.of(new TableRef(unquote(m.group(1)), unquote(m.group(2)))) : Optional.empty();
    }

    /** An identifier as pg_identify_object writes it, unquoted (names never need folding there). */
    static String unquoteLenient(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }

    static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier.toLowerCase();
    }
}
