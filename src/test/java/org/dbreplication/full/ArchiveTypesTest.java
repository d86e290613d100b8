package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.dbreplication.full.TypeDefinition.CompositeType;
import org.dbreplication.full.TypeDefinition.DomainType;
import org.dbreplication.full.TypeDefinition.EnumType;
import org.dbreplication.full.TypeDefinition.Name;
import org.dbreplication.full.TypeDefinition.RangeType;
import org.junit.jupiter.api.Test;

/** Entries as pg_restore renders them (pg_dump 15's layout: header comment, then the statement). */
class ArchiveTypesTest {

    @Test
    void readsAnEnumsLabelsInOrderWhateverTheyHold() {
        assertThat(ArchiveTypes.parse("""
                --

                CREATE TYPE "My s"."Mood x" AS ENUM (
                    'a''b',
                    'c, (d)',
                    'e;
                '
                );
                """)).contains(new EnumType(new Name("My s", "Mood x"), List.of("a'b", "c, (d)", "e;\n")));
    }

    @Test
    void readsADomainsBaseTypeCollationNotNullDefaultAndChecks() {
        assertThat(ArchiveTypes.parse("""
                CREATE DOMAIN public.posint AS numeric(10,2) NOT NULL DEFAULT 1.5
                \tCONSTRAINT posint_check CHECK ((VALUE > (0)::numeric))
                \tCONSTRAINT "Max check" CHECK ((VALUE < (1000)::numeric));
                """)).contains(new DomainType(new Name("public", "posint"), "numeric(10,2)", null, true, "1.5",
                Map.of("posint_check", "CHECK ((VALUE > (0)::numeric))", "Max check", "CHECK ((VALUE < (1000)::numeric))")));
        assertThat(ArchiveTypes.parse("CREATE DOMAIN public.d2 AS character varying(20) COLLATE pg_catalog.\"C\" DEFAULT lower('X'::text);"))
                .contains(new DomainType(new Name("public", "d2"), "character varying(20)", "pg_catalog.\"C\"", false,
                        "lower('X'::text)", Map.of()));
    }

    @Test
    void readsACompositesAttributesAndARangesSubtype() {
        assertThat(ArchiveTypes.parse("""
                CREATE TYPE public.comp AS (
                \ta integer,
                \t"B c" text COLLATE pg_catalog."C",
                \tn numeric(4,1)
                );
                """)).contains(new CompositeType(new Name("public", "comp"),
                List.of("a integer", "\"B c\" text COLLATE pg_catalog.\"C\"", "n numeric(4,1)")));
        assertThat(ArchiveTypes.parse("""
                CREATE TYPE public.rng AS RANGE (
                    subtype = numeric,
                    multirange_type_name = public.rng_multirange
                );
                """)).contains(new RangeType(new Name("public", "rng"), "numeric"));
    }

    @Test
    void otherStatementsAreNotTypesToCompare() {
        assertThat(ArchiveTypes.parse("CREATE TYPE public.shell;")).isEmpty();
        assertThat(ArchiveTypes.parse("CREATE TABLE public.t (id integer);")).isEmpty();
    }
}
