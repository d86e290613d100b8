package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dbreplication.config.FkMode;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the full step keeps and what it does with each foreign key, whatever the copy comes from: the live source
 * ({@link RestorePlanner}, entries identified through the source's catalog) or a backup archive
 * ({@link ArchivePlanner}, entries identified from the archive's own SQL). The planners find the tables; the rules
 * are here, once.
 */
public final class RestorePolicy {

    /** What becomes of one foreign key of the copy. */
    public enum ForeignKeyAction {
        /** Not created: it touches a kept table, whose rows are not from the same snapshot. */
        SKIP_KEPT,
        /** Created and validated, as in the source. */
        CREATE,
        /** Created NOT VALID (RESTORE_FK_CONSTRAINTS=not-valid). */
        CREATE_NOT_VALID,
        /** Not created (RESTORE_FK_CONSTRAINTS=false). */
        LEAVE_OUT
    }

    private static final Logger LOG = LoggerFactory.getLogger(RestorePolicy.class);
    private final Set<TableRef> keptByBackupMode;
    private final List<String> learningContentTables;
    private final FkMode fkMode;

    /**
     * @param learningContentTables tables of the public schema that the learning-content step owns: the full step
     *                              keeps them like kept tables unless the copy has a table of the same name
     */
    public RestorePolicy(Settings settings, List<String> learningContentTables) {
        this(settings.full().backupModes().keptTables().keySet(), learningContentTables, settings.full().fkMode());
    }

    RestorePolicy(Set<TableRef> keptByBackupMode, List<String> learningContentTables, FkMode fkMode) {
        this.keptByBackupMode = Set.copyOf(keptByBackupMode);
        this.learningContentTables = List.copyOf(learningContentTables);
        this.fkMode = fkMode;
    }

    /**
     * The tables that survive on the target with everything they need: those of BACKUP_MODE, and the
     * learning-content tables the copy does not have (they stay usable until the learning-content step replaces
     * them).
     *
     * @param copied the tables the copy brings (the source's or the archive's)
     */
    public Set<TableRef> keptTables(Set<TableRef> copied) {
        Set<TableRef> kept = new HashSet<>(keptByBackupMode);
        learningContentTables.stream().map(TableRef::publicTable).filter(t -> !copied.contains(t)).forEach(kept::add);
        return kept;
    }

    /**
     * The foreign key of {@code table} referencing {@code referenced} (either null when unknown) under
     * RESTORE_FK_CONSTRAINTS. PostgreSQL before 18 has no NOT VALID foreign key on a partitioned table: one there is
     * created validated, as pg_dump wrote it (README, "Foreign keys").
     */
    public ForeignKeyAction foreignKey(String name, TableRef table, TableRef referenced, boolean onPartitionedTable,
                                       Set<TableRef> kept) {
        if (table != null && kept.contains(table) || referenced != null && kept.contains(referenced)) {
            return ForeignKeyAction.SKIP_KEPT;
        }
        return switch (fkMode) {
            case TRUE -> ForeignKeyAction.CREATE;
            case FALSE -> ForeignKeyAction.LEAVE_OUT;
            case NOT_VALID -> {
                if (onPartitionedTable) {
                    LOG.info("foreign key on a partitioned table created validated: {}", v("item", name));
                    yield ForeignKeyAction.CREATE;
                }
                yield ForeignKeyAction.CREATE_NOT_VALID;
            }
        };
    }

    /** The line the log, the journal and the report give a foreign key that {@link ForeignKeyAction#SKIP_KEPT}. */
    public static String skipReason(String name, TableRef table, TableRef referenced) {
        return name + " (" + (table == null ? "?" : table) + " -> " + (referenced == null ? "?" : referenced)
                + ": a kept table is not from the same snapshot)";
    }
}
