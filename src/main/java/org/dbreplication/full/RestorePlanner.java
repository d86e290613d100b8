package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the two archives' tables of contents, the source catalog (in the snapshot) and the target, and decides
 * every action of the restore: which pre-data entries to restore (all but the kept tables' survivors), which
 * target objects to drop, which post-data items to build right after each table's rows, and what to do with
 * foreign keys. Writes the pre-data restore list; touches nothing.
 */
public class RestorePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(RestorePlanner.class);
    private final Settings settings;
    private final RestorePolicy policy;

    public RestorePlanner(Settings settings, RestorePolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    public void plan(@ExchangeProperty(FullRun.PROPERTY) FullRun run) throws SQLException {
        Toc pre = Toc.read(run.preDataList());
        Toc post = Toc.read(run.postDataList());
        SourceCatalog source = new SourceCatalog(run.snapshot().connection());
        List<TocEntry> all = new ArrayList<>(pre.entries());
        all.addAll(post.entries());
        Map<Integer, SourceCatalog.ObjectIdentity> identities = source.identities(all);
        Set<String> schemas = replicatedSchemas(pre, identities);
        List<SourceCatalog.SourceTable> tables = source.tables(pre.entries().stream()
                .filter(e -> e.desc().equals("TABLE")).toList());
        SourceTableChecks.beforeCopy(run.snapshot().connection(), tables);
        Set<TableRef> sourceTables = new HashSet<>();
        tables.forEach(t -> sourceTables.add(t.ref()));
        Set<TableRef> kept = policy.keptTables(sourceTables);

        TargetInspection.Result target;
        try (Connection connection = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":full")) {
            target = TargetInspection.inspect(connection, schemas, kept, casts(pre));
        }
        run.analystScope(new AnalystObjects.Scope(Set.copyOf(schemas), target.survivorIdentities()));
        for (TableRef table : settings.full().backupModes().keptTables().keySet()) {
            if (!target.keptColumnCounts().containsKey(table)) {
                LOG.warn("kept table {} does not exist on the target: it is not copied by the full step "
                        + "(BACKUP_MODE); copy it once by hand or let the incremental step create it", v("table", table.toString()));
            }
        }

        List<TocEntry> preRestore = pre.entries().stream()
                .filter(e -> keepPreDataEntry(e, identities.get(e.dumpId()), target)).toList();
        Toc.write(run.preDataRestoreList(), preRestore);

        Map<Integer, SourceCatalog.Owner> owners = source.owners(post.entries());
        Map<Long, SourceCatalog.SourceTable> tablesByOid = new HashMap<>();
        tables.forEach(t -> tablesByOid.put(t.oid(), t));

        PostDataSplit split = PostDataSplit.of(post.entries(), owners, tablesByOid.keySet(), run::warn);
        Map<Long, List<TocEntry>> constraints = split.constraints();
        Map<Long, List<TocEntry>> indexes = split.indexes();
        List<TocEntry> remaining = new ArrayList<>(split.remaining());
        List<TocEntry> foreignKeys = split.foreignKeys();
        Set<Integer> onMaterializedViews = split.onMaterializedViews();

        List<String> skipped = new ArrayList<>();
        List<TocEntry> notValidKeys = new ArrayList<>();
        Map<Long, TableRef> relations = relations(owners, source);
        for (TocEntry fk : foreignKeys) {
            SourceCatalog.Owner owner = owners.get(fk.dumpId());
            TableRef table = owner == null ? null : relations.get(owner.tableOid());
            TableRef referenced = owner == null ? null : relations.get(owner.referencedTableOid());
            switch (policy.foreignKey(fk.displayName(), table, referenced, owner != null && owner.relkind() == 'p', kept)) {
                case SKIP_KEPT -> skipped.add(RestorePolicy.skipReason(fk.displayName(), table, referenced));
                case CREATE -> remaining.add(fk);
                case CREATE_NOT_VALID -> notValidKeys.add(fk);
                case LEAVE_OUT -> { }
            }
        }
        Map<Integer, SourceCatalog.ForeignKey> definitions = source.foreignKeys(notValidKeys);
        List<SourceCatalog.ForeignKey> notValid = notValidKeys.stream().map(e -> definitions.get(e.dumpId())).toList();
        remaining.sort(Comparator.comparingInt(post.entries()::indexOf));

        List<RestorePlan.TablePlan> tablePlans = tables.stream()
                .map(t -> new RestorePlan.TablePlan(t, constraints.getOrDefault(t.oid(), List.of()),
                        indexes.getOrDefault(t.oid(), List.of())))
                .toList();
        RestorePlan plan = new RestorePlan(target.dropStatements(), target.keptColumnCounts(), tablePlans, remaining,
                notValid, skipped, source.sequences(pre.entries().stream().filter(e -> e.desc().equals("SEQUENCE")).toList()));
        run.plan(plan.withKeptTypeChanges(KeptTypes.reviewWithSource(settings, target.survivorIdentities(),
                run.snapshot().connection())));
        run.largeObjects(source.largeObjects());
        run.postDataSql(PostDataSql.match(post, RenderedScript.read(run.postDataFullScript())));
        run.replicatedSchemas(schemas, kept);
        run.materializedViewItems(onMaterializedViews);
        LOG.info("restore planned: {} tables to copy, {} objects to drop on the target, {} kept tables, "
                        + "{} post-data items built per table, {} restored at the end, foreign keys {}",
                v("tables", tablePlans.size()), v("drops", plan.dropStatements().size()),
                v("kept_tables", target.keptColumnCounts().size()),
                v("table_items", tablePlans.stream().mapToInt(t -> t.constraints().size() + t.indexes().size()).sum()),
                v("remaining_items", remaining.size()), v("fk_mode", settings.full().fkMode().setting()));
        for (String reason : skipped) {
            LOG.info("foreign key skipped: {}", reason);
        }
    }

    /** The tags of the archive's casts ({@code CAST (text AS public.pair)}): casts live outside schemas. */
    static List<String> casts(Toc pre) {
        return pre.entries().stream().filter(e -> e.desc().equals("CAST")).map(TocEntry::displayName).toList();
    }

    /** Schemas the archive creates objects in; the tool's own schema never is one (it is excluded from the dump). */
    private Set<String> replicatedSchemas(Toc pre, Map<Integer, SourceCatalog.ObjectIdentity> identities) {
        Set<String> schemas = new LinkedHashSet<>();
        schemas.add("public");
        for (TocEntry entry : pre.entries()) {
            SourceCatalog.ObjectIdentity identity = identities.get(entry.dumpId());
            if (identity == null) {
                continue;
            }
            if (entry.desc().equals("SCHEMA")) {
                schemas.add(identity.identity().replaceAll("^\"|\"$", "").replace("\"\"", "\""));
            } else if (identity.schema() != null) {
                schemas.add(identity.schema());
            }
        }
        schemas.remove(settings.databases().replicationSchema());
        return schemas;
    }

    private static boolean keepPreDataEntry(TocEntry entry, SourceCatalog.ObjectIdentity identity,
                                            TargetInspection.Result target) {
        if (target.survives(identity)) {
            return false;
        }
        return switch (entry.desc()) {
            case "SCHEMA" -> identity == null || !target.existingSchemas().contains(unquote(identity.identity()));
            case "EXTENSION" -> identity == null || !target.existingExtensions().contains(unquote(identity.identity()));
            // COMMENT ON EXTENSION needs to own the extension: a non-superuser target cannot, and it is not data
            case "COMMENT" -> !entry.label().startsWith("- EXTENSION ") && !entry.label().startsWith("public EXTENSION ");
            default -> true;
        };
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }

    /** The source's tables that the foreign keys' owners name, by oid. */
    private static Map<Long, TableRef> relations(Map<Integer, SourceCatalog.Owner> owners, SourceCatalog source)
            throws SQLException {
        Set<Long> relationOids = new HashSet<>();
        owners.values().forEach(o -> {
            relationOids.add(o.tableOid());
            relationOids.add(o.referencedTableOid());
        });
        return source.relations(new ArrayList<>(relationOids));
    }
}
