package org.dbreplication.full;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dbreplication.pg.Sql;

/**
 * A user-defined type as one side describes it — the target's catalog, the source's catalog in the snapshot, or an
 * archive's SQL — in the words pg_dump writes it (type names by {@code format_type} with an empty search_path,
 * constraints by {@code pg_get_constraintdef}), so that both sides compare as text.
 */
sealed interface TypeDefinition {

    Name name();

    /** The kind in PostgreSQL's terms, for messages: {@code enum}, {@code domain}, {@code composite type}, {@code range type}. */
    String kind();

    /** A type's exact schema and name, as stored in the catalog (unquoted). */
    record Name(String schema, String name) {
        public Name {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(name, "name");
        }

        /** Both parts quoted: safe to put in SQL. */
        public String quoted() {
            return Sql.ident(schema) + "." + Sql.ident(name);
        }

        @Override
        public String toString() {
            return schema + "." + name;
        }
    }

    /** @param labels the labels in their sort order ({@code enumsortorder}) */
    record EnumType(Name name, List<String> labels) implements TypeDefinition {
        public String kind() {
            return "enum";
        }
    }

    /**
     * @param baseType          {@code format_type(typbasetype, typtypmod)}, e.g. {@code numeric(10,2)}
     * @param collation         qualified collation when it differs from the base type's, else null
     * @param defaultExpression the default as deparsed, else null
     * @param checks            CHECK constraints: name → {@code CHECK (…)} as {@code pg_get_constraintdef} writes it
     */
    record DomainType(Name name, String baseType, String collation, boolean notNull, String defaultExpression,
                      Map<String, String> checks) implements TypeDefinition {
        public String kind() {
            return "domain";
        }
    }

    /** @param attributes each attribute as pg_dump writes it: {@code name type [COLLATE collation]} */
    record CompositeType(Name name, List<String> attributes) implements TypeDefinition {
        public String kind() {
            return "composite type";
        }
    }

    /** @param subtype {@code format_type} of the range's element type */
    record RangeType(Name name, String subtype) implements TypeDefinition {
        public String kind() {
            return "range type";
        }
    }
}
