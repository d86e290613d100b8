package org.dbreplication.full;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dbreplication.pg.TableRef;

/**
 * The privileges that analysts (or an administrator) gave other roles on the relations of the replicated schemas —
 * tables, views, materialized views, sequences, foreign tables, and their columns. The copy is restored without the
 * source's privileges ({@code --no-privileges}), so every such privilege on the target was given there, and the
 * relations the full step creates anew would not have it.
 */
final class ReplicatedRelationGrants {

    /**
     * The privileges on one relation that will be replaced.
     *
     * @param relation its schema and name (the new copy's relation of that name gets them)
     * @param relkind  its kind when captured ({@code pg_class.relkind})
     */
    record OnRelation(TableRef relation, String relkind, List<RelationGrant> grants) {

        /** {@code GRANT ON public.orders}: the name of a warning about them. */
        String displayName() {
            return "GRANT ON " + relation.schema() + "." + relation.name();
        }

        /** What an operator replays once the relation exists again (kept in the journal with the warning). */
        String replayScript() {
            return String.join("\n", grants.stream()
                    .map(g -> g.statement(RelationGrant.keyword(relkind), relation.quoted())).toList());
        }
    }

    /** The relations of the replicated schemas ($1) that carry a privilege, identified like survivors. */
    private static final String WITH_PRIVILEGES = """
            SELECT c.oid, n.nspname, c.relname, o.type, o.identity, c.relkind::text
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL pg_catalog.pg_identify_object('pg_catalog.pg_class'::regclass, c.oid, 0) o
            WHERE n.nspname = ANY(?::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND (c.relacl IS NOT NULL OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                                   WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL))
            ORDER BY n.nspname, c.relname
            """;

    private static final String KIND = """
            SELECT c.relkind::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ?
            """;

    private ReplicatedRelationGrants() {
    }

    /**
     * @return the privileges of roles other than the owner on each relation that will be replaced (survivors, which
     *         keep theirs, excepted), in schema and name order
     */
    static List<OnRelation> capture(Connection target, Collection<String> replicatedSchemas,
                                                      Set<String> survivorIdentities) throws SQLException {
        Map<Long, String[]> replaced = new LinkedHashMap<>();
        try (PreparedStatement ps = target.prepareStatement(WITH_PRIVILEGES)) {
            ps.setArray(1, target.createArrayOf("text", replicatedSchemas.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!survivorIdentities.contains(TargetInspection.key(rs.getString(4), rs.getString(5)))) {
                        replaced.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(6)});
                    }
                }
            }
        }
        List<OnRelation> grants = new ArrayList<>();
        Map<Long, List<RelationGrant>> byOid = RelationGrant.read(target, replaced.keySet());
        replaced.forEach((oid, relation) -> {
            if (byOid.containsKey(oid)) {
                grants.add(new OnRelation(new TableRef(relation[0], relation[1]), relation[2], List.copyOf(byOid.get(oid))));
            }
        });
        return grants;
    }

    /**
     * The GRANT statements that give the captured privileges to the relation of the same name in the new copy, with
     * the keyword its kind there needs; empty when the new copy has no such relation.
     */
    static List<String> statements(Connection target, OnRelation captured) throws SQLException {
        TableRef relation = captured.relation();
        String relkind = relkind(target, relation);
        List<String> statements = new ArrayList<>();
        if (relkind != null) {
            captured.grants().forEach(g -> statements.add(g.statement(RelationGrant.keyword(relkind), relation.quoted())));
        }
        return statements;
    }

    /** The kind ({@code pg_class.relkind}) of the relation of that schema and name, or null when there is none. */
    static String relkind(Connection target, TableRef relation) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(KIND)) {
            ps.setString(1, relation.schema());
            ps.setString(2, relation.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
