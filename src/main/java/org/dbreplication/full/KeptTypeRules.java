package org.dbreplication.full;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.dbreplication.full.TypeDefinition.CompositeType;
import org.dbreplication.full.TypeDefinition.DomainType;
import org.dbreplication.full.TypeDefinition.EnumType;
import org.dbreplication.full.TypeDefinition.RangeType;
import org.dbreplication.pg.Sql;

/**
 * How a type that survives on the target (a kept table uses it) follows the source's definition of it. The
 * restore leaves survivors out, so rows of the copied tables must fit the target's copy of the type:
 * <ul>
 *   <li>additive changes are applied: enum labels added (at their place in the source's order), a domain's CHECK or
 *       NOT NULL the source no longer has dropped, a changed default set — the kept rows still fit;</li>
 *   <li>anything else — an enum label removed, renamed or reordered, a domain's base type or collation changed or a
 *       constraint added, a composite's attributes or a range's subtype changed, another kind of type — is refused:
 *       the kept rows might not fit, and only an operator can decide.</li>
 * </ul>
 * Pure: no database; the statements are built with quoted identifiers and literals (expressions are the source's
 * own deparsed SQL).
 */
final class KeptTypeRules {

    /**
     * @param statements SQL to run on the target, in order (empty: nothing to change)
     * @param refusals   one sentence per incompatible type, naming it and what differs (empty: compatible)
     */
    record Review(List<String> statements, List<String> refusals) {
    }

    private KeptTypeRules() {
    }

    /**
     * Compares each surviving target type with the source type of the same name. A type the source no longer has
     * is left alone (the kept table still uses it).
     */
    static Review review(Collection<TypeDefinition> targetTypes, Map<TypeDefinition.Name, TypeDefinition> sourceTypes) {
        List<String> statements = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (TypeDefinition target : targetTypes) {
            TypeDefinition source = sourceTypes.get(target.name());
            if (source == null) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            List<String> changes = new ArrayList<>();
            if (!target.kind().equals(source.kind())) {
                problems.add("kind changed from " + target.kind() + " to " + source.kind());
            } else if (target instanceof EnumType t) {
                compareEnums(t, (EnumType) source, changes, problems);
            } else if (target instanceof DomainType t) {
                compareDomains(t, (DomainType) source, changes, problems);
            } else if (target instanceof CompositeType t) {
                if (!t.attributes().equals(((CompositeType) source).attributes())) {
                    problems.add("attributes changed (target: (" + String.join(", ", t.attributes()) + "); source: ("
                            + String.join(", ", ((CompositeType) source).attributes()) + "))");
                }
            } else if (target instanceof RangeType t && !t.subtype().equals(((RangeType) source).subtype())) {
                problems.add("subtype changed from " + t.subtype() + " to " + ((RangeType) source).subtype());
            }
            if (problems.isEmpty()) {
                statements.addAll(changes);
            } else {
                refusals.add(target.kind() + " " + target.name() + ": " + String.join("; ", problems));
            }
        }
        return new Review(List.copyOf(statements), List.copyOf(refusals));
    }

    /** The target's labels must all be in the source, in the same order; the source's new ones are added in place. */
    static void compareEnums(EnumType target, EnumType source, List<String> changes, List<String> problems) {
        List<String> removed = target.labels().stream().filter(l -> !source.labels().contains(l)).toList();
        if (!removed.isEmpty()) {
            problems.add("label" + (removed.size() > 1 ? "s " : " ") + literals(removed) + " removed or renamed in the source"
                    + " (target: " + literals(target.labels()) + "; source: " + literals(source.labels()) + ")");
        }
        List<String> commonInTargetOrder = target.labels().stream().filter(source.labels()::contains).toList();
        List<String> commonInSourceOrder = source.labels().stream().filter(target.labels()::contains).toList();
        if (!commonInTargetOrder.equals(commonInSourceOrder)) {
            problems.add("labels reordered in the source (target: " + literals(target.labels()) + "; source: "
                    + literals(source.labels()) + ")");
        }
        String alter = "ALTER TYPE " + target.name().quoted() + " ADD VALUE IF NOT EXISTS ";
        for (int i = 0; i < source.labels().size(); i++) {
            String label = source.labels().get(i);
            if (target.labels().contains(label)) {
                continue;
            }
            // the label before it in the source exists by then (kept, or added just before): its place is exact
            if (i > 0) {
                changes.add(alter + Sql.literal(label) + " AFTER " + Sql.literal(source.labels().get(i - 1)) + ";");
            } else if (!target.labels().isEmpty()) {
                changes.add(alter + Sql.literal(label) + " BEFORE " + Sql.literal(target.labels().get(0)) + ";");
            } else {
                changes.add(alter + Sql.literal(label) + ";");
            }
        }
    }

    /** A domain may lose constraints and change its default; its base type, collation and new constraints may not. */
    static void compareDomains(DomainType target, DomainType source, List<String> changes, List<String> problems) {
        if (!target.baseType().equals(source.baseType())) {
            problems.add("base type changed from " + target.baseType() + " to " + source.baseType());
        }
        if (!Objects.equals(target.collation(), source.collation())) {
            problems.add("collation changed from " + orDefault(target.collation()) + " to " + orDefault(source.collation()));
        }
        if (source.notNull() && !target.notNull()) {
            problems.add("NOT NULL added");
        }
        Set<String> targetChecks = target.checks().values().stream().map(KeptTypeRules::normalized).collect(Collectors.toSet());
        Set<String> sourceChecks = source.checks().values().stream().map(KeptTypeRules::normalized).collect(Collectors.toSet());
        source.checks().forEach((name, definition) -> {
            if (!targetChecks.contains(normalized(definition))) {
                problems.add("constraint " + name + " added: " + definition);
            }
        });
        String alter = "ALTER DOMAIN " + target.name().quoted();
        if (target.notNull() && !source.notNull()) {
            changes.add(alter + " DROP NOT NULL;");
        }
        target.checks().forEach((name, definition) -> {
            if (!sourceChecks.contains(normalized(definition))) {
                changes.add(alter + " DROP CONSTRAINT " + Sql.ident(name) + ";");
            }
        });
        if (!Objects.equals(normalizedOrNull(target.defaultExpression()), normalizedOrNull(source.defaultExpression()))) {
            changes.add(source.defaultExpression() == null ? alter + " DROP DEFAULT;"
                    : alter + " SET DEFAULT " + source.defaultExpression() + ";");
        }
    }

    private static String literals(List<String> labels) {
        return labels.stream().map(Sql::literal).collect(Collectors.joining(", "));
    }

    private static String orDefault(String collation) {
        return collation == null ? "the base type's" : collation;
    }

    /** Deparsed SQL compared without regard to line breaks and indentation. */
    private static String normalized(String sql) {
        return sql.strip().replaceAll("\\s+", " ");
    }

    private static String normalizedOrNull(String sql) {
        return sql == null ? null : normalized(sql);
    }
}
