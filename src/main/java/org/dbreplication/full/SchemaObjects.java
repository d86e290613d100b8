package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.dbreplication.pg.Sql;

/**
 * The objects of some schemas that a full refresh replaces: relations, routines, types, operators and their classes
 * and families, text search objects, collations, conversions, statistics (one catalog query:
 * {@code sql/full/droppable-objects.sql}), each with the statement that drops it or moves it to another schema.
 */
final class SchemaObjects {

    private static final String QUERY = Sql.resource("sql/full/droppable-objects.sql");

    /**
     * One object.
     *
     * @param keyword   its kind as DROP and ALTER … SET SCHEMA name it (TABLE, MATERIALIZED VIEW, OPERATOR CLASS…)
     * @param classId   its catalog (pg_class, pg_proc…)
     * @param objectId  its OID
     * @param schema    its schema
     * @param identity  pg_identify_object's qualified identity ({@code public.f(integer)})
     * @param owned     a serial's sequence: it goes with its table
     * @param withParent a partition, a range type's multirange type or constructor: dropped with its parent, moved on
     *                   its own
     * @param rangePart  a range type, its multirange type or one of their constructors
     */
    record SchemaObject(String keyword, long classId, long objectId, String schema, String identity, boolean owned,
                        boolean withParent, boolean rangePart) {

        /** null for an object that goes with another one when dropped. */
        String drop() {
            return withParent ? null : "DROP " + keyword + " IF EXISTS " + identity + " CASCADE";
        }

        /** null for an object that goes with another one when moved. */
        String moveTo(String schema) {
            return owned ? null : "ALTER " + keyword + " " + identity + " SET SCHEMA " + Sql.ident(schema);
        }

        long key() {
            return classId * 4_294_967_296L + objectId;
        }
    }

    private SchemaObjects() {
    }

    /** The objects of these schemas, in the order drops run (views, tables, sequences, routines, the others). */
    static List<SchemaObject> of(Connection connection, Collection<String> schemas) throws SQLException {
        List<SchemaObject> objects = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(QUERY)) {
            ps.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    objects.add(new SchemaObject(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8)));
                }
            }
        }
        return objects;
    }
}
