package org.dbreplication.full;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dbreplication.full.TypeDefinition.Name;

/**
 * Reads type definitions from an archive's pre-data SQL as pg_restore renders it, for archives restored without
 * their source at hand: {@code CREATE TYPE … AS ENUM (…)}, {@code CREATE TYPE … AS (…)} (composite),
 * {@code CREATE TYPE … AS RANGE (…)} and {@code CREATE DOMAIN …}, in pg_dump's layout (one label or attribute per
 * line, each domain constraint on its own {@code \tCONSTRAINT} line). Other types (base, shell) are not read.
 */
final class ArchiveTypes {

    private static final String IDENT = "(\"(?:[^\"]|\"\")*\"|[^.\"\\s(]+)";
    private static final Pattern CREATE = Pattern.compile("CREATE (TYPE|DOMAIN) " + IDENT + "\\." + IDENT + " AS ");
    private static final Pattern CONSTRAINT_NAME = Pattern.compile("^" + IDENT + " ");
    private static final Pattern SUBTYPE = Pattern.compile("(?m)^\\s*subtype = (.*?),?$");

    private ArchiveTypes() {
    }

    /** The types and domains of the archive's pre-data entries, by name. */
    static Map<Name, TypeDefinition> read(List<TocEntry> preDataEntries, ArchiveSql preDataSql) {
        Map<Name, TypeDefinition> types = new LinkedHashMap<>();
        for (TocEntry entry : preDataEntries) {
            if (entry.desc().equals("TYPE") || entry.desc().equals("DOMAIN")) {
                preDataSql.of(entry).flatMap(sql -> parse(sql.statement())).ifPresent(t -> types.put(t.name(), t));
            }
        }
        return types;
    }

    /** One entry's SQL; empty when it is not one of the four kinds read here. */
    static Optional<TypeDefinition> parse(String sql) {
        Matcher create = CREATE.matcher(sql);
        if (!create.find()) {
            return Optional.empty();
        }
        Name name = new Name(ArchiveSql.unquoteLenient(create.group(2)), ArchiveSql.unquoteLenient(create.group(3)));
        String rest = sql.substring(create.end());
        if (rest.startsWith("ENUM (")) {
            // read literal by literal: a label may hold anything, even ";\n"
            return Optional.of(new TypeDefinition.EnumType(name, labels(rest.substring("ENUM (".length()))));
        }
        // pg_dump ends each statement with ";\n"; what follows in the entry's text (SET lines) is not part of it
        int end = rest.indexOf(";\n");
        rest = end < 0 ? rest.replaceFirst(";\\s*$", "") : rest.substring(0, end);
        if (create.group(1).equals("DOMAIN")) {
            return Optional.of(domain(name, rest));
        }
        if (rest.startsWith("RANGE (")) {
            Matcher subtype = SUBTYPE.matcher(rest);
            return subtype.find() ? Optional.of(new TypeDefinition.RangeType(name, subtype.group(1).strip())) : Optional.empty();
        }
        if (rest.startsWith("(")) {
            List<String> attributes = new ArrayList<>();
            for (String attribute : rest.substring(1, rest.lastIndexOf(')')).split(",\n")) {
                if (!attribute.isBlank()) {
                    attributes.add(attribute.strip());
                }
            }
            return Optional.of(new TypeDefinition.CompositeType(name, attributes));
        }
        return Optional.empty();
    }

    /** The string literals of an enum's label list, up to its closing parenthesis. */
    private static List<String> labels(String list) {
        List<String> labels = new ArrayList<>();
        int i = 0;
        while (i < list.length() && list.charAt(i) != ')') {
            if (list.charAt(i) != '\'') {
                i++;
                continue;
            }
            StringBuilder label = new StringBuilder();
            i++;
            while (i < list.length()) {
                if (list.charAt(i) == '\'' && i + 1 < list.length() && list.charAt(i + 1) == '\'') {
                    label.append('\'');
                    i += 2;
                } else if (list.charAt(i) == '\'') {
                    i++;
                    break;
                } else {
                    label.append(list.charAt(i++));
                }
            }
            labels.add(label.toString());
        }
        return labels;
    }

    /** {@code <type> [COLLATE c] [NOT NULL] [DEFAULT expr]}, then one {@code \n\tCONSTRAINT name …} per constraint. */
    private static TypeDefinition domain(Name name, String rest) {
        String[] parts = rest.split("\n\tCONSTRAINT ");
        String head = parts[0].strip();
        String defaultExpression = null;
        int defaultAt = head.indexOf(" DEFAULT ");
        if (defaultAt >= 0) {
            defaultExpression = head.substring(defaultAt + " DEFAULT ".length()).strip();
            head = head.substring(0, defaultAt);
        }
        boolean notNull = head.endsWith(" NOT NULL");
        if (notNull) {
            head = head.substring(0, head.length() - " NOT NULL".length());
        }
        String collation = null;
        int collateAt = head.indexOf(" COLLATE ");
        if (collateAt >= 0) {
            collation = head.substring(collateAt + " COLLATE ".length()).strip();
            head = head.substring(0, collateAt);
        }
        Map<String, String> checks = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            Matcher constraint = CONSTRAINT_NAME.matcher(parts[i]);
            if (!constraint.find()) {
                continue;
            }
            String definition = parts[i].substring(constraint.end()).strip();
            if (definition.equals("NOT NULL")) {
                notNull = true;
            } else {
                checks.put(ArchiveSql.unquoteLenient(constraint.group(1)), definition);
            }
        }
        return new TypeDefinition.DomainType(name, head.strip(), collation, notNull, defaultExpression, checks);
    }
}
