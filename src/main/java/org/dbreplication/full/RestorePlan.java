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
 * @param remainingPostData     post-data items restored once every table is loaded, in passes ({@link #postDataPass})
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

    /** Pass of the remaining post-data items that attach partitions' indexes to their parents' (one at a time). */
    public static final String ATTACH_PASS = "attach";

    /**
     * The remaining post-data items of one pass, in archive order. The passes run one after the other: {@code items}
     * (everything but the two below), {@value #ATTACH_PASS} (INDEX ATTACH: attaching at one level of a partition
     * tree while another level is attached, or a foreign key added over it, can deadlock in a parallel pg_restore),
     * then {@code foreign-keys} (a key referencing a partitioned table needs its unique index whole, every partition's
     * attached; a key on a partitioned table locks every partition).
     */
    public List<TocEntry> postDataPass(String pass) {
        return remainingPostData.stream().filter(e -> switch (pass) {
            case ATTACH_PASS -> e.desc().equals("INDEX ATTACH");
            case "foreign-keys" -> e.desc().equals("FK CONSTRAINT");
            case "items" -> !e.desc().equals("INDEX ATTACH") && !e.desc().equals("FK CONSTRAINT");
            default -> throw new IllegalArgumentException("unknown post-data pass " + pass);
        }).toList();
    }

    /** One copied table: its source facts and the INDEX / CONSTRAINT entries to build once its rows are in. */
    public record TablePlan(SourceCatalog.SourceTable table, List<TocEntry> constraints, List<TocEntry> indexes) {
    }
}
