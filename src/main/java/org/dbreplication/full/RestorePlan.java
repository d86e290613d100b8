package org.dbreplication.full;

import java.util.List;
import java.util.Map;
import org.dbreplication.pg.TableRef;

/**
 * What the full step will do, decided before the target is touched.
 *
 * @param dropStatements        DROP statements for the current objects of the replicated schemas (survivors excepted)
 * @param keptColumnCounts      kept tables present on the target and their column count, verified after the drops
 * @param tables                tables whose rows are copied, with their post-data items (indexes, constraints)
 * @param remainingPostData     post-data items restored by one parallel pg_restore once every table is loaded
 * @param notValidForeignKeys   foreign keys created NOT VALID by the tool (RESTORE_FK_CONSTRAINTS=not-valid)
 * @param skippedForeignKeys    foreign keys not created, with the reason
 * @param sequences             sequence values read in the snapshot
 * @param keptTypeChanges       statements that bring the types kept tables use up to the source (enum labels added,
 *                              domain constraints dropped, defaults set), applied before the replacement
 */
public record RestorePlan(List<String> dropStatements, Map<TableRef, Integer> keptColumnCounts,
                         List<TablePlan> tables, List<TocEntry> remainingPostData,
                         List<SourceCatalog.ForeignKey> notValidForeignKeys, List<String> skippedForeignKeys,
                         List<SourceCatalog.SequenceValue> sequences, List<String> keptTypeChanges) {

    /** A plan without changes to the kept tables' types (see {@link #withKeptTypeChanges}). */
    public RestorePlan(List<String> dropStatements, Map<TableRef, Integer> keptColumnCounts, List<TablePlan> tables,
                       List<TocEntry> remainingPostData, List<SourceCatalog.ForeignKey> notValidForeignKeys,
                       List<String> skippedForeignKeys, List<SourceCatalog.SequenceValue> sequences) {
        this(dropStatements, keptColumnCounts, tables, remainingPostData, notValidForeignKeys, skippedForeignKeys,
                sequences, List.of());
    }

    /** The same plan with the changes {@link KeptTypes} applies before the schema replacement. */
    public RestorePlan withKeptTypeChanges(List<String> changes) {
        return new RestorePlan(dropStatements, keptColumnCounts, tables, remainingPostData, notValidForeignKeys,
                skippedForeignKeys, sequences, List.copyOf(changes));
    }

    /** One copied table: its source facts and the INDEX / CONSTRAINT entries to build once its rows are in. */
    public record TablePlan(SourceCatalog.SourceTable table, List<TocEntry> constraints, List<TocEntry> indexes) {
    }
}
