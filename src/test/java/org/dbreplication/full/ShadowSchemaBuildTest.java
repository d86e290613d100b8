package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PgTools;
import org.dbreplication.pg.Sql;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

/**
 * A new copy built beside the live one with the SQL of the real pg_restore rewritten by {@link ShadowNames}, then
 * moved into the live schemas: the live copy is untouched while the shadow one is built, the shadow objects refer
 * only to each other (and to what the archive does not create: a kept table, the extension's dictionary), and once
 * moved they work under the live names.
 */
class ShadowSchemaBuildTest {

    static final String SOURCE = EveryObjectTypeTest.SOURCE + Sql.resource("shadow-names/source-extra.sql");
    static final Map<String, String> SHADOWS = ShadowNamesTest.SHADOWS;
    /** Global objects or schemas that the live copy already has: not part of a shadow build. */
    static final List<String> NOT_SHADOWED = List.of("SCHEMA", "EVENT TRIGGER");

    @Test
    void aCopyBuiltInShadowSchemasLeavesTheLiveOneAloneAndReplacesItOnceMoved() throws Exception {
        DatabaseUrl source = TestPostgres.createDatabase("shadow_source", null);
        DatabaseUrl target = TestPostgres.createDatabase("shadow_target", null);
        Path work = Files.createTempDirectory("shadow-build");
        try {
            // psql: JDBC cannot send a BEGIN ATOMIC body followed by other statements in one string
            psql(source, Files.writeString(work.resolve("source.sql"), SOURCE));
            // the live copy: the whole source, restored as is
            Path live = work.resolve("live.dump");
            tool(tools().pgDump(), "--format=custom", "--no-owner", "--no-privileges", "--file=" + live, conninfo(source));
            tool(tools().pgRestore(), "--no-owner", "--no-privileges", "--exit-on-error", "--dbname=" + conninfo(target),
                    live.toString());
            Map<String, String> liveBefore = CatalogObjects.catalog(target, SHADOWS.keySet());
            Map<String, String> liveRows = CatalogObjects.rows(target, SHADOWS.keySet());

            ShadowNames names = buildShadowCopy(source, target, work);

            assertThat(CatalogObjects.catalog(target, SHADOWS.keySet())).as("the live copy, OIDs included").isEqualTo(liveBefore);
            assertThat(CatalogObjects.rows(target, SHADOWS.keySet())).as("the live rows").isEqualTo(liveRows);
            Map<String, String> shadowObjects = liveNames(CatalogObjects.catalog(target, SHADOWS.values()));
            Map<String, String> notRebuilt = new TreeMap<>(liveBefore);
            notRebuilt.keySet().removeAll(shadowObjects.keySet());
            assertThat(notRebuilt.keySet()).as("live objects without a shadow: the kept table's, the extension's")
                    .isNotEmpty().allMatch(o -> o.contains("kept_logs") || o.contains("public.unaccent"));
            assertThat(shadowObjects.keySet()).as("shadow objects without a live one").isSubsetOf(liveBefore.keySet());
            Map<String, String> rowsToCopy = new TreeMap<>(liveRows);
            rowsToCopy.remove("public.kept_logs");
            assertThat(liveNames(CatalogObjects.rows(target, SHADOWS.values()))).as("the shadow rows").isEqualTo(rowsToCopy);
            assertTheShadowObjectsReferToEachOther(target);

            moveInto(target, names, SHADOWS.keySet(), "replication_old_", true);
            moveInto(target, names, SHADOWS.values(), "", false);

            assertThat(CatalogObjects.catalog(target, SHADOWS.values())).as("left in the shadow schemas").isEmpty();
            Map<String, String> expected = new TreeMap<>(shadowObjects);
            expected.putAll(notRebuilt);
            assertThat(CatalogObjects.catalog(target, SHADOWS.keySet())).as("the live schemas, OIDs included").isEqualTo(expected);
            assertTheMovedCopyWorks(source, target);
        } finally {
            TestPostgres.dropDatabase(source);
            TestPostgres.dropDatabase(target);
            try (var files = Files.list(work)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(work);
        }
    }

    /**
     * The new copy's archive (without the kept table, as the full step dumps with BACKUP_MODE) rendered by
     * pg_restore, rewritten and run into the shadow schemas: pre-data entries, rows and sequences (psql runs the
     * data section's COPY), post-data entries.
     */
    private static ShadowNames buildShadowCopy(DatabaseUrl source, DatabaseUrl target, Path work) throws Exception {
        Path archive = work.resolve("new.dump");
        tool(tools().pgDump(), "--format=custom", "--no-owner", "--no-privileges", "--exclude-table=public.kept_logs",
                "--file=" + archive, conninfo(source));
        RenderedScript preData = RenderedScript.read(render(archive, "pre-data", work));
        RenderedScript postData = RenderedScript.read(render(archive, "post-data", work));
        List<RenderedScript.Entry> entries = new ArrayList<>(preData.entries());
        entries.addAll(postData.entries());
        ShadowNames names = ShadowNames.of(SHADOWS, entries);
        for (String shadow : SHADOWS.values()) {
            Db.execute(target, "CREATE SCHEMA " + Sql.ident(shadow));
        }
        runEntries(target, preData, names);
        Path data = work.resolve("data.shadow.sql");
        psql(target, Files.writeString(data, names.rewrite(Files.readString(render(archive, "data", work)))));
        runEntries(target, postData, names);
        return names;
    }

    /** No shadow object depends on a live one that the archive creates; defaults and mappings checked by name. */
    private static void assertTheShadowObjectsReferToEachOther(DatabaseUrl target) {
        assertThat(Db.column(target, "WITH " + CatalogObjects.OBJECTS + """
                SELECT DISTINCT (pg_identify_object(d.refclassid, d.refobjid, 0)).identity
                FROM pg_depend d
                JOIN objects dependent ON dependent.classid = d.classid AND dependent.objid = d.objid
                JOIN objects referenced ON referenced.classid = d.refclassid AND referenced.objid = d.refobjid
                WHERE dependent.nsp::regnamespace::text LIKE '%replication_shadow_%'
                  AND referenced.nsp::regnamespace::text IN ('public', 'reporting', '"Sales-Dept"')"""))
                .as("live objects a shadow object depends on").containsExactlyInAnyOrder("public.kept_logs", "public.unaccent");
        assertThat(Db.column(target, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef"
                + " WHERE adrelid = 'replication_shadow_public.items'::regclass ORDER BY adnum")).containsExactly(
                "nextval('replication_shadow_public.ticket_seq'::regclass)",
                "to_tsvector('replication_shadow_public.unaccent_french'::regconfig, name)");
        assertThat(Db.column(target, "SELECT tgfoid::regproc::text FROM pg_trigger"
                + " WHERE tgrelid = 'replication_shadow_public.items'::regclass AND NOT tgisinternal"))
                .containsExactly("replication_shadow_public.items_touch");
        assertThat(Db.count(target, "SELECT count(*) FROM pg_ts_config_map WHERE mapcfg = "
                + "'replication_shadow_public.unaccent_french'::regconfig AND mapdict = 'public.unaccent'::regdictionary"))
                .as("mappings to the extension's dictionary").isEqualTo(3);
    }

    private static void assertTheMovedCopyWorks(DatabaseUrl source, DatabaseUrl target) {
        String nextTicket = Db.scalar(source, "SELECT last_value + 1 FROM public.ticket_seq");
        String tarte = Db.scalar(source, "SELECT to_tsvector('public.unaccent_french'::regconfig, 'Tarte')::text");
        assertThat(Db.rows(target, "INSERT INTO public.items (id, name) VALUES (3, '  Tarte ') RETURNING code, name, searchable"))
                .as("default, trigger, generated column").containsExactly(List.of(nextTicket, "Tarte", tarte));
        assertThat(Db.scalar(target, "INSERT INTO reporting.events (item_id, at) VALUES (3, '2026-02-01') RETURNING id")).isEqualTo("3");
        assertThat(Db.scalar(target, "INSERT INTO public.\"organization-learners\" (\"firstName\", item_id) VALUES ('Cy', 3) RETURNING id"))
                .isEqualTo("3");
        assertThat(Db.scalar(target, "INSERT INTO \"Sales-Dept\".\"Orders\" (learner_id, \"Amount\") VALUES (3, 1) RETURNING id")).isEqualTo("3");
        assertThat(Db.scalar(target, "INSERT INTO public.\"Weird-Name\"\"Quoted\" (\"Label Text\") VALUES ('z') RETURNING id")).isEqualTo("4");
        assertThat(Db.rows(target, "SELECT (SELECT count(*) FROM reporting.item_names), (SELECT n FROM reporting.log_count), "
                + "public.item_count(), public.item_count_plpgsql(), \"Sales-Dept\".order_total()"))
                .containsExactly(List.of("3", "1", "3", "3", "14.5"));
        assertThat(Db.rows(target, "SELECT rel::text, next_id, same FROM public.\"Learners View\" WHERE id = 3"))
                .containsExactly(List.of("\"organization-learners\"", "4", "t"));
        Db.execute(target, "REFRESH MATERIALIZED VIEW reporting.mood_counts");
        assertThat(Db.scalar(target, "SELECT sum(n) FROM reporting.mood_counts")).isEqualTo("3");
        assertThat(Db.scalar(target, "SELECT !! 41")).isEqualTo("42");
        assertThat(Db.scalar(target, "SELECT ('ab'::text)::public.pair::text")).isEqualTo("(2,ab)");
        String french = "SELECT to_tsvector('public.unaccent_french', 'Crème brûlée')::text";
        assertThat(Db.scalar(target, french)).isEqualTo(Db.scalar(source, french));
    }

    /** The script's settings, then each entry rewritten (objects of the live copy that are global left out). */
    private static void runEntries(DatabaseUrl target, RenderedScript script, ShadowNames names) throws SQLException {
        try (Connection c = Connections.open(target, "tests"); Statement st = c.createStatement()) {
            for (String setting : script.settings()) {
                st.execute(setting);
            }
            for (RenderedScript.Entry entry : script.entries()) {
                if (NOT_SHADOWED.contains(entry.type()) || entry.name().startsWith("SCHEMA ")) {
                    continue;
                }
                for (String setting : entry.settings()) {
                    st.execute(setting);
                }
                try {
                    if (!entry.sql().isEmpty()) {
                        st.execute(names.rewrite(entry.sql()));
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(entry.displayName() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Moves, in one transaction, the objects of each schema ({@link CatalogObjects#movable}) into {@code prefix +
     * schema}, or into the live schema of a shadow one. {@code onlyCreated}: only the objects the archive creates
     * (a kept table and the extension's objects stay).
     */
    private static void moveInto(DatabaseUrl target, ShadowNames names, Iterable<String> schemas, String prefix,
                                 boolean onlyCreated) throws SQLException {
        try (Connection c = Connections.open(target, "tests"); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String schema : schemas) {
                String destination = prefix.isEmpty() ? liveSchemaOf(schema) : prefix + schema;
                if (!prefix.isEmpty()) {
                    st.execute("CREATE SCHEMA " + Sql.ident(destination));
                }
                for (List<String> object : CatalogObjects.movable(st, schema)) {
                    if (!onlyCreated || names.creates(new TableRef(schema, object.get(2)))) {
                        st.execute("ALTER " + object.get(0) + " " + object.get(1) + " SET SCHEMA " + Sql.ident(destination));
                    }
                }
            }
            c.commit();
        }
    }

    /** The keys with each shadow schema's name replaced by its live schema's. */
    private static Map<String, String> liveNames(Map<String, String> shadowKeyed) {
        Map<String, String> live = new TreeMap<>();
        shadowKeyed.forEach((key, value) -> {
            String renamed = key;
            for (Map.Entry<String, String> schema : SHADOWS.entrySet()) {
                renamed = renamed.replace(quoteIfNeeded(schema.getValue()) + ".", quoteIfNeeded(schema.getKey()) + ".");
            }
            live.put(renamed, value);
        });
        return live;
    }

    private static String liveSchemaOf(String shadow) {
        return SHADOWS.entrySet().stream().filter(e -> e.getValue().equals(shadow)).findFirst().orElseThrow().getKey();
    }

    private static String quoteIfNeeded(String schema) {
        return schema.matches("[a-z_][a-z0-9_]*") ? schema : Sql.ident(schema);
    }

    private static Path render(Path archive, String section, Path work) throws Exception {
        Path script = work.resolve(section + ".sql");
        tool(tools().pgRestore(), "--no-owner", "--no-privileges", "--section=" + section, "--file=" + script,
                archive.toString());
        return script;
    }

    private static PgTools tools() {
        return PgTools.locate(Optional.empty());
    }

    private static String conninfo(DatabaseUrl db) {
        return db.libpqConninfo(null, "tests", null);
    }

    private static void psql(DatabaseUrl db, Path script) throws Exception {
        tool(tools().psql(), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=" + script, "--dbname=" + conninfo(db));
    }

    private static void tool(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
