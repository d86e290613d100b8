package org.dbreplication.full;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of each post-data item of an archive, by dump id: the whole post-data rendered once by
 * {@code pg_restore --file} (its entries come out in the order of the archive's list, one header each) and matched to
 * the list, item by item. Post-data items are then run by JDBC ({@link PostDataItems}), which lets each one's SQL
 * be redirected to the new copy's schemas and each failure be judged on its own.
 */
final class PostDataSql {

    private final Map<Integer, RenderedScript.Entry> byDumpId;
    private final List<String> settings;

    private PostDataSql(Map<Integer, RenderedScript.Entry> byDumpId, List<String> settings) {
        this.byDumpId = byDumpId;
        this.settings = settings;
    }

    /**
     * Pairs the list's items with the script's entries, in order; an item pg_restore wrote nothing for (a
     * privilege left out by --no-privileges) has no SQL.
     *
     * @throws IllegalStateException when an entry of the script matches no item of the list (another pg_restore
     *                               version writing entries differently): nothing would be restored right
     */
    static PostDataSql match(Toc list, RenderedScript script) {
        List<RenderedScript.Entry> entries = script.entries();
        Map<Integer, RenderedScript.Entry> byDumpId = new HashMap<>();
        int next = 0;
        for (TocEntry item : list.entries()) {
            if (next < entries.size() && entries.get(next).type().equals(item.desc())) {
                byDumpId.put(item.dumpId(), entries.get(next++));
            }
        }
        if (next < entries.size()) {
            throw new IllegalStateException("the rendered post-data does not follow its list: "
                    + entries.get(next).displayName() + " matches no item; cannot tell which SQL belongs to which item");
        }
        return new PostDataSql(byDumpId, script.settings());
    }

    /** The statements of one item. */
    RenderedScript.Entry of(TocEntry item) {
        RenderedScript.Entry entry = byDumpId.get(item.dumpId());
        if (entry == null) {
            throw new IllegalStateException("no SQL for post-data item " + item.objectName());
        }
        return entry;
    }

    /** The session settings pg_restore sets before the items (search_path empty, …). */
    List<String> settings() {
        return settings;
    }
}
