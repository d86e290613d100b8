package org.dbreplication.full;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dbreplication.full.SqlTokens.Token;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;

/**
 * The names of a full copy built in <em>shadow</em> schemas: the SQL that pg_restore renders for the archive (every
 * name qualified, {@code search_path} empty) redirected so that what the archive creates in a replicated schema
 * ({@code public}) is created in, and refers to, that schema's shadow ({@code replication_shadow_public}), beside
 * the live copy that analysts keep reading. Once built, the shadow objects are moved into the live schema at once
 * ({@code ALTER … SET SCHEMA}).
 *
 * <p>What {@link #rewrite(String)} changes, and only that (S a replicated schema, x an object the archive creates
 * in S):
 * <ul>
 *   <li>a qualified name {@code S.x}, each part plain (folded to lower case) or double-quoted: its schema part
 *       becomes the quoted shadow schema — {@code CREATE TABLE public.items} → {@code CREATE TABLE
 *       "replication_shadow_public".items}, {@code ON ONLY public.measures}, {@code EXECUTE FUNCTION
 *       public.items_touch()}, {@code ::public.mood}, {@code FROM public."organization-learners"}, the bodies of
 *       SQL-standard functions ({@code BEGIN ATOMIC … END}); operators too: {@code OPERATOR(public.=~=)},
 *       {@code CREATE OPERATOR public.!! (…)}, {@code OPERATOR 1 public.=~=(text,text)};</li>
 *   <li>a string literal whose whole content is such a name, where it is bound or run at once:
 *       <ul>
 *         <li>a constant of an OID type, anywhere — {@code nextval('public.ticket_seq'::regclass)},
 *             {@code to_tsvector('public.unaccent_french'::regconfig, name)}: a definition stores the object's
 *             OID, which must be the new object's (the live sequence is moved away, the new one takes its name);</li>
 *         <li>any such literal in a statement that runs at once (not CREATE, ALTER, COMMENT, SECURITY LABEL) —
 *             {@code SELECT pg_catalog.setval('public.seq', 5, true)},
 *             {@code IF to_regclass('public."organization-learners"') IS NOT NULL} in a DO block;</li>
 *       </ul>
 *       but a text stored in a definition and resolved each time it runs stays: a view's
 *       {@code to_regclass('public."organization-learners"'::text)} must find the live name once the new objects
 *       are moved there (rewritten, it would look for the emptied shadow schema and return NULL);</li>
 *   <li>the body of a {@code DO} block (dollar-quoted or {@code '…'}), by the same rules: it runs at once.</li>
 * </ul>
 * Left as they are: names of objects the archive does not create ({@code public.unaccent}, a dictionary of the
 * unaccent extension; the kept tables of BACKUP_MODE and the types and functions they use; {@code pg_catalog.*});
 * unqualified names ({@code CREATE INDEX items_name_idx ON …}: an index goes to its table's schema); comments;
 * other literals (data, the text of {@code COMMENT … IS}); the rows of {@code COPY … FROM stdin}; and
 * dollar-quoted function bodies ({@code AS $$ … public.items … $$}): they are stored as text and resolve their names
 * when they run, by which time the new objects carry the live names.
 *
 * <p>Known limits, none met in pg_dump's output: a column reference {@code alias.column} whose alias is spelled like
 * a replicated schema and whose column like an object created there would be taken for a name; a data literal of
 * an {@code INSERT} whose whole text is such a name would be rewritten (pg_restore renders rows as COPY unless the
 * archive was made with {@code --inserts}); three-part names ({@code database.schema.name}), {@code CAST('…' AS
 * regclass)} and {@code E'…'} DO bodies are left alone.
 */
public final class ShadowNames {

    /**
     * An object the archive creates, as pg_restore's header names it ({@code -- Name: add_one(integer); Type:
     * FUNCTION; Schema: public}): unquoted, functions with their argument types, operators by their symbol.
     */
    public record Created(String type, String schema, String name) {
    }

    /** Entries whose name is an object of the schema's namespaces (relations, types, functions, operators…). */
    private static final Set<String> NAMED_OBJECT_TYPES = Set.of("TABLE", "VIEW", "MATERIALIZED VIEW", "SEQUENCE",
            "FOREIGN TABLE", "INDEX", "TYPE", "SHELL TYPE", "DOMAIN", "COLLATION", "CONVERSION", "OPERATOR",
            "OPERATOR CLASS", "OPERATOR FAMILY", "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY",
            "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE", "STATISTICS", "FUNCTION", "PROCEDURE", "AGGREGATE");
    private static final Set<String> WITH_ARGUMENTS = Set.of("FUNCTION", "PROCEDURE", "AGGREGATE", "OPERATOR");

    private final Map<String, String> shadowSchemas;
    private final Map<String, Set<String>> created = new HashMap<>();

    /**
     * @param shadowSchemas replicated schema → its shadow schema, exact catalog names ({@code public} →
     *                      {@code replication_shadow_public})
     * @param objects       what the archive creates: the headers of the rendered pre-data and post-data scripts
     * @throws IllegalArgumentException when a shadow schema is empty, replicated itself, or shared by two schemas
     */
    public ShadowNames(Map<String, String> shadowSchemas, Collection<Created> objects) {
        this.shadowSchemas = Map.copyOf(shadowSchemas);
        Set<String> shadows = new HashSet<>();
        shadowSchemas.forEach((schema, shadow) -> {
            if (shadow.isEmpty() || shadowSchemas.containsKey(shadow) || !shadows.add(shadow)) {
                throw new IllegalArgumentException("shadow schema " + Sql.ident(shadow) + " of schema "
                        + Sql.ident(schema) + " must be a distinct schema that is not replicated itself");
            }
        });
        for (Created object : objects) {
            if (NAMED_OBJECT_TYPES.contains(object.type())) {
                add(object.schema(), WITH_ARGUMENTS.contains(object.type()) ? withoutArguments(object.name()) : object.name());
            }
        }
        // the index behind a primary key, unique or exclusion constraint bears the constraint's name; the header
        // says "table constraint", both parts unquoted: every split whose first part is a created relation counts
        for (Created object : objects) {
            if (object.type().equals("CONSTRAINT")) {
                for (int space = object.name().indexOf(' '); space > 0; space = object.name().indexOf(' ', space + 1)) {
                    if (creates(object.schema(), object.name().substring(0, space))) {
                        add(object.schema(), object.name().substring(space + 1));
                    }
                }
            }
        }
    }

    /**
     * From the entries of the rendered pre-data and post-data scripts ({@link RenderedScript#entries()}); also counts
     * the multirange type that a range type creates ({@code multirange_type_name = public.floatmultirange}).
     */
    public static ShadowNames of(Map<String, String> shadowSchemas, Collection<RenderedScript.Entry> entries) {
        List<Created> objects = new ArrayList<>();
        for (RenderedScript.Entry entry : entries) {
            objects.add(new Created(entry.type(), entry.schema(), entry.name()));
            if (entry.type().equals("TYPE")) {
                List<Token> tokens = significant(entry.sql());
                for (int i = 0; i + 4 < tokens.size(); i++) {
                    if (tokens.get(i).isWord("multirange_type_name") && tokens.get(i + 2).isName()
                            && tokens.get(i + 3).isPunct('.') && tokens.get(i + 4).isName()) {
                        objects.add(new Created("TYPE", tokens.get(i + 2).value(), tokens.get(i + 4).value()));
                    }
                }
            }
        }
        return new ShadowNames(shadowSchemas, objects);
    }

    /** Whether {@code schema} (exact catalog name) is replicated, i.e. has a shadow schema. */
    public boolean isReplicated(String schema) {
        return shadowSchemas.containsKey(schema);
    }

    /**
     * Whether the archive creates {@code object} in a replicated schema (a relation, type, function — by its name
     * without arguments —, operator symbol, index, …), i.e. whether it is built in the shadow schema.
     */
    public boolean creates(TableRef object) {
        return creates(object.schema(), object.name());
    }

    /**
     * The same object in the shadow schema: {@code public."organization-learners"} →
     * {@code replication_shadow_public."organization-learners"}.
     *
     * @throws IllegalArgumentException when the archive does not create it in a replicated schema (it has no shadow:
     *                                  a kept table, an extension's object, an object of another schema)
     */
    public TableRef shadowOf(TableRef object) {
        if (!creates(object)) {
            throw new IllegalArgumentException(object.quoted() + " has no shadow: the archive does not create it in "
                    + "a replicated schema");
        }
        return new TableRef(shadowSchemas.get(object.schema()), object.name());
    }

    /**
     * {@code sql} — one entry, or a whole rendered script — with every reference to a created object of a
     * replicated schema naming the shadow schema, by the rules of the class comment; any other character is kept as
     * it is. pg_restore's headers are comments: they keep the live names, so {@link RenderedScript} reads a rewritten
     * script's entries as the original's.
     *
     * @throws IllegalArgumentException only when a shadow schema's name would put the closing delimiter of a DO
     *                                  block's dollar-quoted body inside it
     */
    public String rewrite(String sql) {
        return ShadowRewriter.rewrite(sql, (schema, name) -> creates(schema, name) ? Sql.ident(shadowSchemas.get(schema)) : null);
    }

    private boolean creates(String schema, String name) {
        return schema != null && name != null && shadowSchemas.containsKey(schema)
                && created.getOrDefault(schema, Set.of()).contains(name);
    }

    private void add(String schema, String name) {
        created.computeIfAbsent(schema, s -> new HashSet<>()).add(name);
    }

    private static List<Token> significant(String sql) {
        return SqlTokens.of(sql).stream().filter(Token::isSignificant).toList();
    }

    /**
     * {@code add_one(integer)} → {@code add_one}; {@code =~=} stays. The argument list is the last parenthesized
     * group, read backwards: its types are SQL (quoted where needed), the name before it is raw and may hold
     * parentheses.
     */
    static String withoutArguments(String tag) {
        if (!tag.endsWith(")")) {
            return tag;
        }
        int depth = 0;
        boolean quoted = false;
        for (int i = tag.length() - 1; i >= 0; i--) {
            char c = tag.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ')') {
                depth++;
            } else if (!quoted && c == '(' && --depth == 0) {
                return tag.substring(0, i);
            }
        }
        return tag;
    }
}
