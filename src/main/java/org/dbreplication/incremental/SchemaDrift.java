package org.dbreplication.incremental;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/**
 * Compares a table's columns in the source and the target, by name. Columns added in the source and types widened
 * in the source (integer → bigint, varchar(n) → varchar(m) or text, numeric precision, real → double) become
 * ALTER TABLE statements for the target; a column missing from the source (dropped or renamed) or an incompatible
 * type change is a problem that stops the table.
 */
final class SchemaDrift {

    record Result(List<String> statements, List<String> changes, List<String> problems) {
        boolean compatible() {
            return problems.isEmpty();
        }
    }

    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");
    private static final Pattern VARCHAR = Pattern.compile("character varying(?:\\((\\d+)\\))?");
    private static final Pattern NUMERIC = Pattern.compile("numeric(?:\\((\\d+),(\\d+)\\))?");

    private SchemaDrift() {
    }

    static Result compare(TableRef table, List<Column> source, List<Column> target) {
        Map<String, Column> targetByName = new LinkedHashMap<>();
        target.forEach(c -> targetByName.put(c.name(), c));
        Map<String, Column> sourceByName = new LinkedHashMap<>();
        source.forEach(c -> sourceByName.put(c.name(), c));
        List<String> statements = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        List<String> missingInSource = target.stream().map(Column::name).filter(n -> !sourceByName.containsKey(n)).toList();
        if (!missingInSource.isEmpty()) {
            problems.add("column(s) " + missingInSource + " of the target are not in the source (dropped or renamed there)");
        }
        for (Column column : source) {
            Column existing = targetByName.get(column.name());
            String alter = "ALTER TABLE " + table.quoted() + " ";
            if (existing == null) {
                boolean copyDefault = column.defaultExpression() != null && !column.defaultExpression().contains("nextval(");
                statements.add(alter + "ADD COLUMN " + Sql.ident(column.name()) + " " + column.type()
                        + (copyDefault ? " DEFAULT " + column.defaultExpression() : "")
                        + (copyDefault && column.notNull() ? " NOT NULL" : ""));
                changes.add("column " + column.name() + " " + column.type() + " added"
                        + (copyDefault ? " with default " + column.defaultExpression() : ""));
            } else if (!existing.type().equals(column.type())) {
                if (widens(existing.type(), column.type())) {
                    statements.add(alter + "ALTER COLUMN " + Sql.ident(column.name()) + " TYPE " + column.type());
                    changes.add("column " + column.name() + " widened from " + existing.type() + " to " + column.type());
                } else if (!widens(column.type(), existing.type())) {
                    problems.add("column " + column.name() + " is " + column.type() + " in the source but "
                            + existing.type() + " in the target (not a widening)");
                }
            }
        }
        return new Result(statements, changes, problems);
    }

    /** Whether a value of type {@code from} always fits in {@code to}. */
    static boolean widens(String from, String to) {
        if (INTEGERS.contains(from) && INTEGERS.contains(to)) {
            return INTEGERS.indexOf(to) > INTEGERS.indexOf(from);
        }
        if (from.equals("real") && to.equals("double precision")) {
            return true;
        }
        Matcher fromVarchar = VARCHAR.matcher(from);
        if (fromVarchar.matches()) {
            if (to.equals("text")) {
                return true;
            }
            Matcher toVarchar = VARCHAR.matcher(to);
            return toVarchar.matches() && (toVarchar.group(1) == null
                    || fromVarchar.group(1) != null && Integer.parseInt(toVarchar.group(1)) > Integer.parseInt(fromVarchar.group(1)));
        }
        Matcher fromNumeric = NUMERIC.matcher(from);
        Matcher toNumeric = NUMERIC.matcher(to);
        if (fromNumeric.matches() && toNumeric.matches() && fromNumeric.group(1) != null) {
            if (toNumeric.group(1) == null) {
                return true;
            }
            int fromScale = Integer.parseInt(fromNumeric.group(2));
            int toScale = Integer.parseInt(toNumeric.group(2));
            int fromInteger = Integer.parseInt(fromNumeric.group(1)) - fromScale;
            int toInteger = Integer.parseInt(toNumeric.group(1)) - toScale;
            return toScale >= fromScale && toInteger >= fromInteger && !to.equals(from);
        }
        return false;
    }
}
