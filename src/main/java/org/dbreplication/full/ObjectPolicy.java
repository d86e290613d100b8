package org.dbreplication.full;

import java.util.Optional;
import java.util.Set;

/**
 * The rules about archive items that are not tables, in one place: which ones are never restored, and which
 * failures cost the night.
 *
 * <p>A failure that concerns a table — its definition, its rows, its keys, indexes and constraints, its row-level
 * security, the sequences its columns use, the schemas it lives in, the large objects — always fails the full step:
 * the copy would not equal the source. Any other object (a view, a materialized view or its data, a function, a
 * trigger or rule, a type not used by a table, a text search configuration, an operator, a cast, a comment, …) that
 * fails to be created, for reasons of the source's own definitions or of what the target's user may create, is left
 * out with a warning naming it and its error; {@code FULL_STRICT=true} makes such failures fail the step too.
 * (A type a table needs cannot fail alone: the table fails with it.)
 */
public final class ObjectPolicy {

    /** pg_dump descriptions of the items that make up a table and its rows. */
    private static final Set<String> TABLE_PARTS = Set.of("SCHEMA", "TABLE", "TABLE ATTACH", "DEFAULT", "SEQUENCE",
            "SEQUENCE OWNED BY", "SEQUENCE SET", "CHECK CONSTRAINT", "CONSTRAINT", "INDEX", "INDEX ATTACH",
            "FK CONSTRAINT", "TABLE DATA", "ROW SECURITY", "POLICY", "BLOB", "BLOBS", "BLOB METADATA", "LARGE OBJECT");

    private ObjectPolicy() {
    }

    /**
     * Whether a failure of this item fails the step whatever FULL_STRICT says.
     *
     * @param desc                 the item's pg_dump description (TABLE, VIEW, INDEX, …)
     * @param onMaterializedView   the item (an index, a constraint) belongs to a materialized view, not a table
     */
    public static boolean concernsTable(String desc, boolean onMaterializedView) {
        return TABLE_PARTS.contains(desc) && !onMaterializedView;
    }

    /**
     * Why an item is never restored, or empty when it is. Event triggers fire on every DDL command of the database,
     * the tool's own drops and creations of the next night included (and only a superuser may create them): the copy
     * has none.
     */
    public static Optional<String> notRestored(TocEntry entry) {
        if (entry.desc().equals("EVENT TRIGGER")) {
            return Optional.of("never copied: an event trigger would fire on the tool's own DDL on the target every night");
        }
        return Optional.empty();
    }
}
