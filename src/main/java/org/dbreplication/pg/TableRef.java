package org.dbreplication.pg;

import java.util.Objects;

/** A table (or any relation) identified by its exact schema and name, as stored in the catalog. */
public record TableRef(String schema, String name) implements Comparable<TableRef> {

    public TableRef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    public static TableRef publicTable(String name) {
        return new TableRef("public", name);
    }

    /** The qualified name, each part quoted: safe to put in SQL. */
    public String quoted() {
        return Sql.ident(schema) + "." + Sql.ident(name);
    }

    @Override
    public int compareTo(TableRef other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return "public".equals(schema) ? name : schema + "." + name;
    }
}
