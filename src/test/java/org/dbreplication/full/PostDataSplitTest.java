package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TOC entries → the restore's plan of the post-data, as a unit: what is built per table, at the end, or never. */
class PostDataSplitTest {

    static TocEntry entry(String line) {
        return TocEntry.parse(line).orElseThrow();
    }

    @Test
    void aCopiedTablesKeysAndIndexesAreBuiltWithItsRowsTheRestAtTheEnd() {
        TocEntry pkey = entry("3220; 2606 16400 CONSTRAINT public answers answers_pkey postgres");
        TocEntry index = entry("3218; 1259 16401 INDEX public answers_user_idx postgres");
        TocEntry keptIndex = entry("3219; 1259 16402 INDEX public events_idx postgres");
        TocEntry fk = entry("3221; 2606 16410 FK CONSTRAINT public answers answers_user_fkey postgres");
        TocEntry trigger = entry("3222; 2620 16420 TRIGGER public answers answers_audit postgres");
        TocEntry eventTrigger = entry("3223; 3466 16430 EVENT TRIGGER - ddl_guard postgres");
        TocEntry extensionComment = entry("3224; 0 0 COMMENT - EXTENSION pg_trgm");
        TocEntry onView = entry("3225; 1259 16440 INDEX public stats_day_idx postgres");
        Map<Integer, SourceCatalog.Owner> owners = Map.of(
                3220, new SourceCatalog.Owner(100, 0, 'r'),
                3218, new SourceCatalog.Owner(100, 0, 'r'),
                3219, new SourceCatalog.Owner(200, 0, 'r'),
                3221, new SourceCatalog.Owner(100, 300, 'r'),
                3222, new SourceCatalog.Owner(100, 0, 'r'),
                3225, new SourceCatalog.Owner(400, 0, 'm'));
        List<String> leftOut = new ArrayList<>();

        PostDataSplit split = PostDataSplit.of(List.of(pkey, index, keptIndex, fk, trigger, eventTrigger, extensionComment, onView),
                owners, Set.of(100L), (object, reason) -> leftOut.add(object));

        assertThat(split.constraints()).containsOnlyKeys(100L).containsEntry(100L, List.of(pkey));
        assertThat(split.indexes()).containsOnlyKeys(100L).containsEntry(100L, List.of(index));
        assertThat(split.foreignKeys()).containsExactly(fk);
        // not on a copied table (a kept table's index, a materialized view's) or not per table: at the end
        assertThat(split.remaining()).containsExactly(keptIndex, trigger, onView);
        assertThat(split.onMaterializedViews()).containsExactly(3225);
        // an event trigger is never restored, and said so; an extension's comment comes with the extension
        assertThat(leftOut).containsExactly(eventTrigger.objectName());
    }
}
