package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.full.TypeDefinition.CompositeType;
import org.dbreplication.full.TypeDefinition.DomainType;
import org.dbreplication.full.TypeDefinition.EnumType;
import org.dbreplication.full.TypeDefinition.Name;
import org.dbreplication.full.TypeDefinition.RangeType;
import org.junit.jupiter.api.Test;

class KeptTypeRulesTest {

    static final Name STATUS = new Name("public", "status");
    static final Name SCORE = new Name("public", "score");

    static KeptTypeRules.Review review(TypeDefinition target, TypeDefinition source) {
        return KeptTypeRules.review(List.of(target), source == null ? Map.of() : Map.of(source.name(), source));
    }

    static EnumType labels(String... labels) {
        return new EnumType(STATUS, List.of(labels));
    }

    @Test
    void labelsAddedInTheSourceAreAddedAtTheirPlace() {
        assertThat(review(labels("open", "closed"), labels("open", "closed", "archived")).statements()).containsExactly(
                "ALTER TYPE \"public\".\"status\" ADD VALUE IF NOT EXISTS 'archived' AFTER 'closed';");
        assertThat(review(labels("open", "closed"), labels("new", "newer", "open", "pending", "closed")).statements())
                .containsExactly(
                        "ALTER TYPE \"public\".\"status\" ADD VALUE IF NOT EXISTS 'new' BEFORE 'open';",
                        "ALTER TYPE \"public\".\"status\" ADD VALUE IF NOT EXISTS 'newer' AFTER 'new';",
                        "ALTER TYPE \"public\".\"status\" ADD VALUE IF NOT EXISTS 'pending' AFTER 'open';");
        assertThat(review(labels(), labels("it's")).statements())
                .containsExactly("ALTER TYPE \"public\".\"status\" ADD VALUE IF NOT EXISTS 'it''s';");
        assertThat(review(labels("open", "closed"), labels("open", "closed")).statements()).isEmpty();
    }

    @Test
    void aLabelRemovedRenamedOrReorderedIsRefusedNamingTheEnumAndTheLabels() {
        KeptTypeRules.Review renamed = review(labels("open", "closed"), labels("open", "done"));
        KeptTypeRules.Review reordered = review(labels("open", "closed"), labels("closed", "open", "archived"));

        assertThat(renamed.statements()).isEmpty();
        assertThat(renamed.refusals()).containsExactly("enum public.status: label 'closed' removed or renamed in the source"
                + " (target: 'open', 'closed'; source: 'open', 'done')");
        assertThat(reordered.statements()).isEmpty();
        assertThat(reordered.refusals()).containsExactly("enum public.status: labels reordered in the source"
                + " (target: 'open', 'closed'; source: 'closed', 'open', 'archived')");
    }

    static DomainType domain(String base, boolean notNull, String defaultExpression, String... checks) {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < checks.length; i += 2) {
            named.put(checks[i], checks[i + 1]);
        }
        return new DomainType(SCORE, base, null, notNull, defaultExpression, named);
    }

    @Test
    void aDomainRelaxedInTheSourceLosesItsConstraintsAndTakesTheNewDefault() {
        DomainType target = domain("integer", true, "0", "score_positive", "CHECK ((VALUE >= 0))", "score_max", "CHECK ((VALUE <= 100))");
        DomainType source = domain("integer", false, "10", "positive", "CHECK ((VALUE >= 0))");

        KeptTypeRules.Review review = review(target, source);

        assertThat(review.refusals()).isEmpty();
        // the check only renamed is the same check: left alone
        assertThat(review.statements()).containsExactly(
                "ALTER DOMAIN \"public\".\"score\" DROP NOT NULL;",
                "ALTER DOMAIN \"public\".\"score\" DROP CONSTRAINT \"score_max\";",
                "ALTER DOMAIN \"public\".\"score\" SET DEFAULT 10;");
        assertThat(review(domain("integer", false, "0"), domain("integer", false, null)).statements())
                .containsExactly("ALTER DOMAIN \"public\".\"score\" DROP DEFAULT;");
        assertThat(review(target, target).statements()).isEmpty();
    }

    @Test
    void aDomainWithAConstraintAddedOrAnotherBaseTypeIsRefused() {
        DomainType target = domain("integer", false, null, "score_positive", "CHECK ((VALUE >= 0))");

        assertThat(review(target, domain("integer", false, null, "score_positive", "CHECK ((VALUE >= 0))",
                "score_max", "CHECK ((VALUE <= 100))")).refusals())
                .containsExactly("domain public.score: constraint score_max added: CHECK ((VALUE <= 100))");
        assertThat(review(target, domain("integer", true, null, "score_positive", "CHECK ((VALUE >= 0))")).refusals())
                .containsExactly("domain public.score: NOT NULL added");
        assertThat(review(target, domain("bigint", false, null, "score_positive", "CHECK ((VALUE >= 0))")).refusals())
                .containsExactly("domain public.score: base type changed from integer to bigint");
        assertThat(review(target, new DomainType(SCORE, "integer", "pg_catalog.\"C\"", false, null, target.checks())).refusals())
                .containsExactly("domain public.score: collation changed from the base type's to pg_catalog.\"C\"");
    }

    @Test
    void compositeAndRangeTypesMustBeUnchangedAndAKindChangeIsRefused() {
        Name pair = new Name("public", "pair");
        CompositeType composite = new CompositeType(pair, List.of("a integer", "b text"));

        assertThat(review(composite, new CompositeType(pair, List.of("a integer", "b text"))).refusals()).isEmpty();
        assertThat(review(composite, new CompositeType(pair, List.of("a integer", "b text", "c date"))).refusals())
                .containsExactly("composite type public.pair: attributes changed (target: (a integer, b text);"
                        + " source: (a integer, b text, c date))");
        assertThat(review(new RangeType(pair, "numeric"), new RangeType(pair, "integer")).refusals())
                .containsExactly("range type public.pair: subtype changed from numeric to integer");
        assertThat(review(labels("open"), new DomainType(STATUS, "text", null, false, null, Map.of())).refusals())
                .containsExactly("enum public.status: kind changed from enum to domain");
    }

    @Test
    void aTypeTheSourceNoLongerHasIsLeftAlone() {
        KeptTypeRules.Review review = review(labels("open"), null);

        assertThat(review.statements()).isEmpty();
        assertThat(review.refusals()).isEmpty();
    }
}
