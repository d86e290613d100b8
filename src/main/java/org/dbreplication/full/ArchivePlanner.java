package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore plan of a backup archive (BACKUP_SOURCE file, url, scalingo), with the same semantics as a restore
 * from the live source: kept tables (BACKUP_MODE) and the learning-content tables survive with everything they
 * need, every other object of the replicated schemas is replaced, foreign keys follow RESTORE_FK_CONSTRAINTS.
 * Without the source's catalog, entries are identified by the archive's list and the SQL pg_restore renders.
 */
public class ArchivePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ArchivePlanner.class);
    private static final Set<String> NAMED_OBJECTS = Set.of("TYPE", "DOMAIN", "SEQUENCE", "FUNCTION", "PROCEDURE",
            "AGGREGATE", "COLLATION");
    private final Settings settings;
    private final RestorePolicy policy;

    public ArchivePlanner(Settings settings, RestorePolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    public void plan(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        Toc pre = Toc.read(run.preDataList());
        Toc data = Toc.read(run.dataList());
        Toc post = Toc.read(run.postDataList());
        ArchiveSql preSql = ArchiveSql.read(run.preDataFullScript());
        ArchiveSql postSql = ArchiveSql.read(run.postDataFullScript());

        Set<TableRef> archiveTables = new HashSet<>();
        Set<Long> keptOids = new HashSet<>();
        Set<TableRef> partitioned = new HashSet<>();
        for (TocEntry entry : pre.entries()) {
            if (entry.desc().equals("TABLE")) {
                archiveTables.add(tableOf(entry));
                if (preSql.of(entry).filter(sql -> sql.statement().contains("\nPARTITION BY ")).isPresent()) {
                    partitioned.add(tableOf(entry));
                }
            }
        }
        Set<TableRef> kept = policy.keptTables(archiveTables);
        for (TocEntry entry : pre.entries()) {
            if (entry.desc().equals("TABLE") && kept.contains(tableOf(entry))) {
                keptOids.add(entry.objectOid());
            }
        }
        Set<String> schemas = new LinkedHashSet<>();
        schemas.add("public");
        pre.entries().stream().filter(e -> e.desc().equals("SCHEMA")).forEach(e -> schemas.add(e.displayName()));
        pre.entries().stream().map(e -> e.displayName().split(" ", 2)[0]).filter(s -> !s.equals("-") && !s.isBlank())
                .forEach(schemas::add);
        schemas.remove(settings.databases().replicationSchema());

        TargetInspection.Result target;
        Set<String> survivorNames;
        try (Connection connection = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            target = TargetInspection.inspect(connection, schemas, kept, RestorePlanner.casts(pre));
            survivorNames = survivorNames(target);
        }
        run.analystScope(new AnalystObjects.Scope(Set.copyOf(schemas), target.survivorIdentities()));

        List<TocEntry> preRestore = new ArrayList<>();
        for (TocEntry entry : pre.entries()) {
            Optional<ArchiveSql.Entry> sql = preSql.of(entry);
            boolean keptPart = entry.desc().equals("TABLE") ? kept.contains(tableOf(entry))
                    : sql.flatMap(ArchiveSql.Entry::table).map(kept::contains).orElse(false);
            boolean survivor = NAMED_OBJECTS.contains(entry.desc()) && survivorNames.contains(nameOf(entry));
            boolean existing = entry.desc().equals("SCHEMA") && target.existingSchemas().contains(entry.displayName())
                    || entry.desc().equals("EXTENSION") && target.existingExtensions().contains(entry.displayName())
                    || entry.desc().equals("COMMENT") && entry.label().contains("EXTENSION ");
            if (!keptPart && !survivor && !existing) {
                preRestore.add(entry);
            }
        }
        Toc.write(run.preDataRestoreList(), preRestore);
        Toc.write(run.dataRestoreList(), data.entries().stream()
                .filter(e -> !(e.desc().equals("TABLE DATA") && keptOids.contains(e.objectOid()))).toList());

        Set<TableRef> materializedViews = new HashSet<>();
        pre.entries().stream().filter(e -> e.desc().equals("MATERIALIZED VIEW")).forEach(e -> materializedViews.add(tableOf(e)));
        Set<Integer> onMaterializedViews = new HashSet<>();
        List<TocEntry> remaining = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> notValid = new ArrayList<>();
        for (TocEntry entry : post.entries()) {
            Optional<ArchiveSql.Entry> sql = postSql.of(entry);
            Optional<TableRef> table = sql.flatMap(ArchiveSql.Entry::table);
            if (table.isPresent() && kept.contains(table.get())) {
                continue;
            }
            if (table.isPresent() && materializedViews.contains(table.get())) {
                onMaterializedViews.add(entry.dumpId());
            }
            java.util.Optional<String> excluded = ObjectPolicy.notRestored(entry);
            if (excluded.isPresent()) {
                run.warn(entry.objectName(), excluded.get());
                continue;
            }
            if (!entry.desc().equals("FK CONSTRAINT")) {
                remaining.add(entry);
                continue;
            }
            Optional<TableRef> referenced = sql.flatMap(ArchiveSql.Entry::referenced);
            boolean onPartitioned = table.isPresent() && partitioned.contains(table.get());
            switch (policy.foreignKey(entry.displayName(), table.orElse(null), referenced.orElse(null), onPartitioned, kept)) {
                case SKIP_KEPT -> skipped.add(RestorePolicy.skipReason(entry.displayName(), table.orElse(null),
                        referenced.orElse(null)));
                case CREATE -> remaining.add(entry);
                case CREATE_NOT_VALID -> sql.ifPresent(found -> notValid.add(
                        found.statement().substring(0, found.statement().lastIndexOf(';')) + " NOT VALID"));
                case LEAVE_OUT -> { }
            }
        }
        run.notValidStatements(notValid);
        run.materializedViewItems(onMaterializedViews);
        run.postDataSql(PostDataSql.match(post, RenderedScript.read(run.postDataFullScript())));
        run.replicatedSchemas(schemas, kept);
        run.plan(new RestorePlan(target.dropStatements(), target.keptColumnCounts(), List.of(), remaining, List.of(),
                skipped, List.of()).withKeptTypeChanges(KeptTypes.reviewWithArchive(settings, target.survivorIdentities(),
                pre.entries(), preSql)));
        LOG.info("archive restore planned: {} objects to drop on the target, {} kept tables, {} post-data items, foreign keys {}",
                v("drops", target.dropStatements().size()), v("kept_tables", target.keptColumnCounts().size()),
                v("remaining_items", remaining.size()), v("fk_mode", settings.full().fkMode().setting()));
        skipped.forEach(reason -> LOG.info("foreign key skipped: {}", reason));
    }

    /** The table of a TABLE entry: namespace, then the tag up to the owner. */
    private static TableRef tableOf(TocEntry entry) {
        String[] parts = entry.displayName().split(" ", 2);
        return new TableRef(parts[0], parts.length > 1 ? parts[1] : "");
    }

    /** schema|name of a named object entry (functions: without their argument list). */
    private static String nameOf(TocEntry entry) {
        String[] parts = entry.displayName().split(" ", 2);
        String name = parts.length > 1 ? parts[1] : "";
        int paren = name.indexOf('(');
        return parts[0] + "|" + (paren < 0 ? name : name.substring(0, paren));
    }

    /** schema|name of every survivor on the target (types, sequences, routines the kept tables need). */
    private static Set<String> survivorNames(TargetInspection.Result inspection) {
        Set<String> names = new HashSet<>();
        java.util.regex.Pattern qualified = java.util.regex.Pattern.compile(
                "^(\"(?:[^\"]|\"\")*\"|[^.\"(]+)\\.(\"(?:[^\"]|\"\")*\"|[^.\"(]+)");
        for (String identity : inspection.survivorIdentities()) {
            java.util.regex.Matcher m = qualified.matcher(identity.substring(identity.indexOf(' ') + 1));
            if (m.find()) {
                names.add(ArchiveSql.unquoteLenient(m.group(1)) + "|" + ArchiveSql.unquoteLenient(m.group(2)));
            }
        }
        return names;
    }
}
