package org.dbreplication.full;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The live source's post-data entries, sorted for the restore: a copied table's constraints and indexes are built
 * as soon as its rows are in (per table oid); foreign keys go to {@link RestorePolicy}; everything else is restored at
 * the end, except what the tool never restores ({@link ObjectPolicy}, named through {@code leftOut}) and the
 * extensions' comments. Pure: the owners come from the source's catalog, read beforehand.
 *
 * @param onMaterializedViews dump ids of the entries on materialized views (refreshed once their rows are in)
 */
record PostDataSplit(Map<Long, List<TocEntry>> constraints, Map<Long, List<TocEntry>> indexes, List<TocEntry> foreignKeys,
                     List<TocEntry> remaining, Set<Integer> onMaterializedViews) {

    /**
     * @param owners         dump id → the relation the entry belongs to (absent: none, e.g. a trigger function)
     * @param copiedTables   oids of the tables whose rows this run copies
     * @param leftOut        (object, reason) of each entry never restored
     */
    static PostDataSplit of(List<TocEntry> entries, Map<Integer, SourceCatalog.Owner> owners, Set<Long> copiedTables,
                            BiConsumer<String, String> leftOut) {
        Map<Long, List<TocEntry>> constraints = new HashMap<>();
        Map<Long, List<TocEntry>> indexes = new HashMap<>();
        List<TocEntry> remaining = new ArrayList<>();
        List<TocEntry> foreignKeys = new ArrayList<>();
        Set<Integer> onMaterializedViews = new HashSet<>();
        for (TocEntry entry : entries) {
            SourceCatalog.Owner owner = owners.get(entry.dumpId());
            if (owner != null && owner.relkind() == 'm') {
                onMaterializedViews.add(entry.dumpId());
            }
            boolean onCopiedTable = owner != null && copiedTables.contains(owner.tableOid());
            switch (entry.desc()) {
                case "CONSTRAINT" -> (onCopiedTable ? constraints.computeIfAbsent(owner.tableOid(), k -> new ArrayList<>())
                        : remaining).add(entry);
                case "INDEX" -> (onCopiedTable ? indexes.computeIfAbsent(owner.tableOid(), k -> new ArrayList<>())
                        : remaining).add(entry);
                case "FK CONSTRAINT" -> foreignKeys.add(entry);
                default -> {
                    Optional<String> excluded = ObjectPolicy.notRestored(entry);
                    if (excluded.isPresent()) {
                        leftOut.accept(entry.objectName(), excluded.get());
                    } else if (!entry.desc().equals("COMMENT") || !entry.label().startsWith("- EXTENSION ")) {
                        remaining.add(entry);
                    }
                }
            }
        }
        return new PostDataSplit(constraints, indexes, foreignKeys, remaining, onMaterializedViews);
    }
}
