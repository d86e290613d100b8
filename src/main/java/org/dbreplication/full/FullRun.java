package org.dbreplication.full;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dbreplication.pg.PassFile;
import org.dbreplication.pg.TableRef;
import org.dbreplication.pg.WorkDirectory;

/**
 * The state of one execution of the full step, carried by the exchange (property {@value #PROPERTY}) from one
 * bean of the route to the next: its files, the source snapshot and the restore plan.
 */
public final class FullRun {

    public static final String PROPERTY = "fullRun";
    /** BACKUP_SOURCE's setting, read by full.yaml's choice: {@code ${exchangeProperty.backupSource}}. */
    public static final String BACKUP_SOURCE = "backupSource";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FullRun.class);

    private final WorkDirectory work;
    private final Instant started = Instant.now();
    private final RestoreItems items = new RestoreItems();
    private SourceSnapshot snapshot;
    private RestorePlan plan;
    private Instant restoreStarted;
    private Path archive;
    private java.util.List<String> notValidStatements = java.util.List.of();
    private long largeObjects;
    private PostDataSql postDataSql;
    /** Per copied table: rows the source sent in the snapshot, rows the new copy received (all parts summed). */
    private final java.util.Map<TableRef, long[]> copiedRows = new java.util.concurrent.ConcurrentHashMap<>();
    private NameRedirect names = NameRedirect.NONE;
    private long runId;
    private List<String> liveSchemas = List.of();
    private java.util.Set<TableRef> keptTables = java.util.Set.of();
    private java.util.Map<String, String> newSchemas = java.util.Map.of();
    private boolean switched;
    private java.util.Set<Integer> materializedViewItems = java.util.Set.of();
    private final java.util.List<Warning> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final org.dbreplication.pg.CopyStream.Meter meter = new org.dbreplication.pg.CopyStream.Meter();
    /** Table parts, rows (-1: unknown), bytes and post-data items to do, once the load is planned; null before. */
    private volatile long[] estimates;

    /**
     * An object left out of the copy, and why (logged, journaled, reported, sent to the webhooks).
     *
     * @param definition the statements that create it, for an operator to replay (an analysts' view that could not be
     *                   created again over the new copy), or null
     */
    public record Warning(String object, String error, String definition) {

        public Warning(String object, String error) {
            this(object, error, null);
        }
    }
    private AnalystObjects.Scope analystScope;
    private java.util.List<AnalystView> analystMaterializedViews = java.util.List.of();
    private final java.util.List<String> finishingErrors = new java.util.ArrayList<>();
    // none join the load until scheduleIndexBuilds (never, from a backup archive); one per run: it keeps failures
    private EnrichmentBuilds enrichmentBuilds = new EnrichmentBuilds(List.of());

    FullRun(WorkDirectory work) {
        this.work = work;
    }

    public Path directory() {
        return work.path();
    }

    public PassFile passFile() {
        return work.passFile();
    }

    /** Removes the run's files. */
    void removeFiles() {
        work.close();
    }

    public Path preDataArchive() {
        return archive != null ? archive : work.resolve("pre-data.dump");
    }

    public Path postDataArchive() {
        return archive != null ? archive : work.resolve("post-data.dump");
    }

    /** A backup archive restored instead of the live source (BACKUP_SOURCE file, url, scalingo). */
    public boolean fromArchive() {
        return archive != null;
    }

    void archive(Path archive) {
        this.archive = archive;
    }

    public Path archive() {
        return archive;
    }

    public Path dataList() {
        return work.resolve("data.list");
    }

    public Path dataRestoreList() {
        return work.resolve("data-restore.list");
    }

    /** Every pre-data entry of the archive as SQL, read to find which table each entry belongs to. */
    public Path preDataFullScript() {
        return work.resolve("pre-data-all.sql");
    }

    public Path postDataFullScript() {
        return work.resolve("post-data-all.sql");
    }

    /** Archive mode, RESTORE_FK_CONSTRAINTS=not-valid: the archive's foreign keys, as NOT VALID statements. */
    public java.util.List<String> notValidStatements() {
        return notValidStatements;
    }

    void notValidStatements(java.util.List<String> statements) {
        this.notValidStatements = java.util.List.copyOf(statements);
    }

    /** Errors of the finishing parts of this attempt, each prefixed with its part (see {@link FinishingErrors}). */
    java.util.List<String> finishingErrors() {
        return finishingErrors;
    }

    public Path preDataList() {
        return work.resolve("pre-data.list");
    }

    public Path postDataList() {
        return work.resolve("post-data.list");
    }

    /** The filtered pre-data list, rendered to {@link #preDataScript()}. */
    public Path preDataRestoreList() {
        return work.resolve("pre-data-restore.list");
    }

    public Path preDataScript() {
        return work.resolve("pre-data.sql");
    }

    /** Post-data items that do not belong to one copied table, one pass of them (see {@link RestorePlan#postDataPass}). */
    public Path remainingPostDataList(String pass) {
        return work.resolve("post-data-remaining-" + pass + ".list");
    }

    /** Whether a post-data item (an index, a constraint) belongs to a materialized view rather than a table. */
    public boolean onMaterializedView(int dumpId) {
        return materializedViewItems.contains(dumpId);
    }

    void materializedViewItems(java.util.Set<Integer> dumpIds) {
        this.materializedViewItems = java.util.Set.copyOf(dumpIds);
    }

    /** The run this execution of the step belongs to (names the swap's schemas). */
    long runId() {
        return runId;
    }

    void runId(long runId) {
        this.runId = runId;
    }

    /** The schemas the archive creates objects in, on the target: the live copy's. */
    List<String> liveSchemas() {
        return liveSchemas;
    }

    /** Tables that stay on the target as they are (BACKUP_MODE, and the learning-content tables the source lacks). */
    java.util.Set<TableRef> keptTables() {
        return keptTables;
    }

    void replicatedSchemas(java.util.Collection<String> schemas, java.util.Collection<TableRef> kept) {
        this.liveSchemas = List.copyOf(schemas);
        this.keptTables = java.util.Set.copyOf(kept);
    }

    /** FULL_REFRESH=swap: live schema → the schema its new copy is built in; empty when the copy is built in place. */
    java.util.Map<String, String> newSchemas() {
        return newSchemas;
    }

    void newSchemas(java.util.Map<String, String> schemas) {
        this.newSchemas = java.util.Map.copyOf(schemas);
    }

    /** The new copy is built aside (FULL_REFRESH=swap). */
    boolean buildsAside() {
        return !newSchemas.isEmpty();
    }

    /** The new copy has been switched in: what is left of the swap's schemas is the previous copy. */
    boolean switched() {
        return switched;
    }

    void switched(boolean switched) {
        this.switched = switched;
    }

    /** Adds one table part's counts. */
    void copied(TableRef table, long read, long written) {
        copiedRows.merge(table, new long[] {read, written}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    }

    /** Per copied table: {rows the source sent, rows the new copy received}. */
    java.util.Map<TableRef, long[]> copiedRows() {
        return copiedRows;
    }

    /** The SQL of every post-data item, by dump id. */
    PostDataSql postDataSql() {
        if (postDataSql == null) {
            throw new IllegalStateException("the post-data is not rendered yet");
        }
        return postDataSql;
    }

    void postDataSql(PostDataSql sql) {
        this.postDataSql = sql;
    }

    /** Where the archive's objects are built on the target (their own names, or the new copy's schemas). */
    public NameRedirect names() {
        return names;
    }

    void names(NameRedirect names) {
        this.names = names;
    }

    /** Large objects of the source snapshot (their contents are copied after the tables' rows). */
    public long largeObjects() {
        return largeObjects;
    }

    void largeObjects(long count) {
        this.largeObjects = count;
    }

    /** Archive of the source's large objects' contents (dump mode). */
    public Path largeObjectsArchive() {
        return work.resolve("large-objects.dump");
    }

    /** Records an object left out of the copy (the step then succeeds "with warnings"). */
    void warn(String object, String error) {
        warn(object, error, null);
    }

    /** The same, with the statements that create it (kept in the run journal for an operator to replay). */
    void warn(String object, String error, String definition) {
        warnings.add(new Warning(object, error, definition));
        LOG.warn("object not restored: {}: {}", net.logstash.logback.argument.StructuredArguments.v("object", object),
                net.logstash.logback.argument.StructuredArguments.v("error", error));
    }

    public java.util.List<Warning> warnings() {
        return java.util.List.copyOf(warnings);
    }

    public Instant started() {
        return started;
    }

    public Duration elapsed() {
        return Duration.between(started, Instant.now());
    }

    public RestoreItems items() {
        return items;
    }

    public SourceSnapshot snapshot() {
        if (snapshot == null) {
            throw new IllegalStateException("the source snapshot is not open");
        }
        return snapshot;
    }

    void snapshot(SourceSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    boolean hasSnapshot() {
        return snapshot != null;
    }

    public RestorePlan plan() {
        if (plan == null) {
            throw new IllegalStateException("the restore plan is not built yet");
        }
        return plan;
    }

    void plan(RestorePlan plan) {
        this.plan = plan;
    }

    /** What the schema replacement replaces: decided by the planner, read by {@link AnalystObjects#capture}. */
    AnalystObjects.Scope analystScope() {
        if (analystScope == null) {
            throw new IllegalStateException("the restore plan is not built yet");
        }
        return analystScope;
    }

    void analystScope(AnalystObjects.Scope scope) {
        this.analystScope = scope;
    }

    /** Analysts' materialized views created again WITH NO DATA, refreshed at the end of the step. */
    java.util.List<AnalystView> analystMaterializedViews() {
        return analystMaterializedViews;
    }

    void analystMaterializedViews(java.util.List<AnalystView> views) {
        this.analystMaterializedViews = java.util.List.copyOf(views);
    }

    /** The enrichment's index builds that join the data load (none until {@link Enrichment#scheduleIndexBuilds}). */
    EnrichmentBuilds enrichmentBuilds() {
        return enrichmentBuilds;
    }

    void enrichmentBuilds(EnrichmentBuilds builds) {
        this.enrichmentBuilds = builds;
    }

    void restoreStarted(Instant at) {
        this.restoreStarted = at;
    }

    Instant restoreStarted() {
        return restoreStarted == null ? started : restoreStarted;
    }

    /** Rows and bytes handed to the target by the COPY streams so far. */
    org.dbreplication.pg.CopyStream.Meter meter() {
        return meter;
    }

    /** What the data load has to do: table parts, rows (-1: unknown) and bytes by the source's statistics, post-data items. */
    void estimates(long tableParts, long rows, long bytes, long postDataItems) {
        this.estimates = new long[] {tableParts, rows, bytes, postDataItems};
    }

    private static final java.util.Set<String> NOT_BUILDS = java.util.Set.of("TABLE DATA", "SEQUENCE SET", "SWITCH");

    /** The step's progress now (ProgressRecorder samples it): table copies, rows, bytes, index builds. */
    public List<org.dbreplication.journal.ProgressRecorder.Item> progress() {
        long[] planned = estimates;
        if (planned == null) {
            return List.of();
        }
        List<RestoreItem> done = items.all();
        long copies = done.stream().filter(i -> i.category().equals("TABLE DATA")).count();
        // neither the sequences set nor the switch are builds; foreign keys and enrichment after the restore are,
        // beyond the plan's estimate
        long builds = done.stream().filter(i -> !NOT_BUILDS.contains(i.category())).count();
        long rows = meter.rows().sum();
        long bytes = meter.bytes().sum();
        return List.of(
                org.dbreplication.journal.ProgressRecorder.Item.running("table copies", "tables", copies, planned[0]),
                org.dbreplication.journal.ProgressRecorder.Item.running("rows", "rows", rows,
                        planned[1] < 0 ? null : Math.max(planned[1], rows)),
                org.dbreplication.journal.ProgressRecorder.Item.running("bytes", "bytes", bytes, Math.max(planned[2], bytes)),
                org.dbreplication.journal.ProgressRecorder.Item.running("index builds", "items", builds, Math.max(planned[3], builds)));
    }
}
