package org.dbreplication.full;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code pg_restore --list}: {@code dumpId; catalogTableOid objectOid DESC namespace tag owner}.
 * Objects are identified through their catalog OIDs (exact), never by matching the tag text, which is unquoted and
 * therefore ambiguous.
 */
public record TocEntry(int dumpId, long classOid, long objectOid, String desc, String label, String line) {

    /** The descriptions pg_dump writes, longest first so that "FK CONSTRAINT" wins over "CONSTRAINT"-like prefixes. */
    private static final List<String> DESCS = List.of(
            "PUBLICATION TABLES IN SCHEMA", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
            "MATERIALIZED VIEW DATA", "FOREIGN DATA WRAPPER", "TEXT SEARCH TEMPLATE", "TEXT SEARCH PARSER",
            "DATABASE PROPERTIES", "PROCEDURAL LANGUAGE", "SUBSCRIPTION TABLE", "PUBLICATION TABLE",
            "SEQUENCE OWNED BY", "MATERIALIZED VIEW", "OPERATOR FAMILY", "STATISTICS DATA", "CHECK CONSTRAINT",
            "OPERATOR CLASS", "ACCESS METHOD", "FOREIGN SERVER", "EVENT TRIGGER", "FOREIGN TABLE", "BLOB METADATA",
            "SECURITY LABEL", "FK CONSTRAINT", "SEQUENCE SET", "INDEX ATTACH", "TABLE ATTACH", "ROW SECURITY",
            "USER MAPPING", "DEFAULT ACL", "LARGE OBJECT", "SUBSCRIPTION", "PUBLICATION", "SHELL TYPE",
            "TABLE DATA", "CONSTRAINT", "STATISTICS", "CONVERSION", "STDSTRINGS", "SEARCHPATH", "COLLATION",
            "EXTENSION", "AGGREGATE", "PROCEDURE", "TRANSFORM", "SEQUENCE", "FUNCTION", "OPERATOR", "ENCODING",
            "DATABASE", "TRIGGER", "DEFAULT", "COMMENT", "DOMAIN", "POLICY", "SCHEMA", "SERVER", "INDEX", "TABLE",
            "BLOBS", "BLOB", "RULE", "TYPE", "VIEW", "CAST", "ACL");

    private static final Pattern LINE = Pattern.compile("^(\\d+); (\\d+) (\\d+) (.*)$");

    /** Parses a list line; comments (;) and blank lines give nothing. */
    public static Optional<TocEntry> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String rest = m.group(4);
        String desc = DESCS.stream().filter(d -> rest.startsWith(d + " ") || rest.equals(d)).findFirst()
                .orElseGet(() -> rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest);
        String label = rest.length() > desc.length() ? rest.substring(desc.length() + 1) : "";
        return Optional.of(new TocEntry(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), desc, label, line));
    }

    public boolean hasCatalogObject() {
        return classOid != 0 && objectOid != 0;
    }

    /**
     * {@code DESC schema.tag} for warnings and errors, written like the entries of a rendered script
     * ({@code MATERIALIZED VIEW DATA public.totals}, {@code TRIGGER public.items items_touch}).
     */
    public String objectName() {
        return desc + " " + qualifiedTag();
    }

    /** {@code schema.tag} ({@code public.users users_pkey}), or the tag of an object outside schemas. */
    public String qualifiedTag() {
        String name = displayName();
        int space = name.indexOf(' ');
        boolean inSchema = !label.startsWith("- ") && space > 0;
        return inSchema ? name.substring(0, space) + "." + name.substring(space + 1) : name;
    }

    /** {@code namespace tag} without the owner, for logs and reports. */
    public String displayName() {
        int lastSpace = label.lastIndexOf(' ');
        String withoutOwner = lastSpace < 0 ? label : label.substring(0, lastSpace);
        return withoutOwner.startsWith("- ") ? withoutOwner.substring(2) : withoutOwner;
    }
}
