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
import org.dbreplication.full.TypeDefinition.Name;

/**
 * Reads type definitions from a catalog — the target's, or the source's inside the snapshot — in the words pg_dump
 * uses to write them (its own queries: {@code format_type}, {@code pg_get_expr}, {@code pg_get_constraintdef} with
 * an empty search_path), so that they compare as text with each other and with an archive's SQL.
 * The connection must be in a transaction: the empty search_path is set for that transaction only.
 */
final class CatalogTypes {

    /** How a type's key starts among survivor identities ({@link TargetInspection#key}). */
    static final String SURVIVOR_TYPE_PREFIX = TargetInspection.key("type", "");

    /** Enums, domains, range types and stand-alone composite types; not arrays, multiranges nor tables' row types. */
    private static final String USER_TYPES = """
            SELECT DISTINCT n.nspname, t.typname FROM unnest(?::text[]) AS s(identity)
            JOIN pg_catalog.pg_type t ON t.oid = pg_catalog.to_regtype(s.identity)
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype IN ('e', 'd', 'r')
               OR t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c')
            """;

    /** The types asked for; the joins below add what each kind needs. */
    private static final String TYPES = """
            SELECT n.nspname, t.typname, t.typtype, t.typnotnull,
                   pg_catalog.format_type(t.typbasetype, t.typtypmod),
                   CASE WHEN t.typtype = 'd' AND t.typcollation <> b.typcollation
                        THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.collname) END,
                   pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass),
                   pg_catalog.format_type(r.rngsubtype, NULL)
            FROM unnest(?::text[], ?::text[]) AS k(schema_name, type_name)
            JOIN pg_catalog.pg_namespace n ON n.nspname = k.schema_name
            JOIN pg_catalog.pg_type t ON t.typnamespace = n.oid AND t.typname = k.type_name
            LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
            LEFT JOIN pg_catalog.pg_collation c ON c.oid = t.typcollation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = c.collnamespace
            LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
            """;

    private static final String FROM_NAMES = """
            FROM unnest(?::text[], ?::text[]) AS k(schema_name, type_name)
            JOIN pg_catalog.pg_namespace n ON n.nspname = k.schema_name
            JOIN pg_catalog.pg_type t ON t.typnamespace = n.oid AND t.typname = k.type_name
            """;

    private static final String LABELS = "SELECT n.nspname, t.typname, e.enumlabel " + FROM_NAMES
            + "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid ORDER BY 1, 2, e.enumsortorder";

    /**
     * A domain's validated CHECK constraints, by name as pg_dump orders them (NOT NULL is typnotnull). NOT VALID ones
     * are left out on both sides: pg_dump writes them apart from CREATE DOMAIN, in the post-data section.
     */
    private static final String CHECKS = "SELECT n.nspname, t.typname, con.conname, pg_catalog.pg_get_constraintdef(con.oid) "
            + FROM_NAMES + "JOIN pg_catalog.pg_constraint con ON con.contypid = t.oid AND con.contype = 'c' AND con.convalidated"
            + " ORDER BY 1, 2, 3";

    /** Composite attributes as pg_dump writes them: name, type, and the collation when not the type's own. */
    private static final String ATTRIBUTES = """
            SELECT n.nspname, t.typname, pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || pg_catalog.quote_ident(cn.nspname)
                           || '.' || pg_catalog.quote_ident(co.collname) ELSE '' END
            """ + FROM_NAMES + """
            JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
            JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
            ORDER BY 1, 2, a.attnum
            """;

    private CatalogTypes() {
    }

    /**
     * The user-defined types among survivor identities ({@link TargetInspection.Result#survivorIdentities()}: keys
     * {@code "type <qualified identity>"}); the rest (tables, routines, sequences, arrays) is not a type to compare.
     */
    static List<Name> userTypes(Connection connection, Set<String> survivorIdentities) throws SQLException {
        String[] identities = survivorIdentities.stream().filter(k -> k.startsWith(SURVIVOR_TYPE_PREFIX))
                .map(k -> k.substring(SURVIVOR_TYPE_PREFIX.length())).toArray(String[]::new);
        List<Name> names = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(USER_TYPES)) {
            ps.setArray(1, connection.createArrayOf("text", identities));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(new Name(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return names;
    }

    /** The definitions of the named types that exist in this catalog (absent ones are left out). */
    static Map<Name, TypeDefinition> read(Connection connection, Collection<Name> names) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.set_config('search_path', '', true)")) {
            ps.execute();
        }
        Map<Name, List<String>> labels = new LinkedHashMap<>();
        Map<Name, List<String>> attributes = new LinkedHashMap<>();
        Map<Name, Map<String, String>> checks = new LinkedHashMap<>();
        query(connection, LABELS, names, rs -> labels.computeIfAbsent(name(rs), k -> new ArrayList<>()).add(rs.getString(3)));
        query(connection, ATTRIBUTES, names, rs -> attributes.computeIfAbsent(name(rs), k -> new ArrayList<>()).add(rs.getString(3)));
        query(connection, CHECKS, names, rs -> checks.computeIfAbsent(name(rs), k -> new LinkedHashMap<>())
                .put(rs.getString(3), rs.getString(4)));
        Map<Name, TypeDefinition> types = new LinkedHashMap<>();
        query(connection, TYPES, names, rs -> {
            Name name = name(rs);
            TypeDefinition type = switch (rs.getString(3)) {
                case "e" -> new TypeDefinition.EnumType(name, List.copyOf(labels.getOrDefault(name, List.of())));
                case "d" -> new TypeDefinition.DomainType(name, rs.getString(5), rs.getString(6), rs.getBoolean(4),
                        rs.getString(7), checks.getOrDefault(name, Map.of()));
                case "c" -> new TypeDefinition.CompositeType(name, List.copyOf(attributes.getOrDefault(name, List.of())));
                case "r" -> new TypeDefinition.RangeType(name, rs.getString(8));
                default -> null;
            };
            if (type != null) {
                types.put(name, type);
            }
        });
        return types;
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection connection, String sql, Collection<Name> names, Row row) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setArray(1, connection.createArrayOf("text", names.stream().map(Name::schema).toArray()));
            ps.setArray(2, connection.createArrayOf("text", names.stream().map(Name::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }

    private static Name name(ResultSet rs) throws SQLException {
        return new Name(rs.getString(1), rs.getString(2));
    }
}
