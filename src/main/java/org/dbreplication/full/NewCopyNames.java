package org.dbreplication.full;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dbreplication.pg.TableRef;

/** The {@link NameRedirect} of a copy built aside: the archive's objects in the new copy's schemas ({@link ShadowNames}). */
final class NewCopyNames implements NameRedirect {

    private final ShadowNames names;
    private final Map<String, String> newSchemas;

    private NewCopyNames(ShadowNames names, Map<String, String> newSchemas) {
        this.names = names;
        this.newSchemas = Map.copyOf(newSchemas);
    }

    /**
     * @param newSchemas live schema → the new copy's schema
     * @param preData    the rendered pre-data (the objects it creates)
     * @param postData   the rendered post-data (the indexes it creates)
     */
    static NameRedirect of(Map<String, String> newSchemas, RenderedScript preData, RenderedScript postData) {
        List<RenderedScript.Entry> entries = new ArrayList<>(preData.entries());
        entries.removeIf(NewCopyNames::isRangeType);
        entries.addAll(postData.entries());
        return new NewCopyNames(ShadowNames.of(newSchemas, entries), newSchemas);
    }

    /**
     * A range type is not built aside: its constructor functions belong to the bootstrap superuser in PostgreSQL 15,
     * so the type's owner could never move them into the live schema with it. Range types are created in the live
     * schema when missing and shared by the previous and the new copy; a range type changed in the source needs one
     * FULL_REFRESH=in-place night.
     */
    static boolean isRangeType(RenderedScript.Entry entry) {
        return entry.type().equals("TYPE") && entry.sql().contains(" AS RANGE (");
    }

    @Override
    public String rewrite(String sql) {
        return names.rewrite(sql);
    }

    @Override
    public String explain(String message) {
        String explained = message;
        for (Map.Entry<String, String> schema : newSchemas.entrySet()) {
            explained = explained.replace(org.dbreplication.pg.Sql.ident(schema.getValue()) + ".", schema.getKey() + ".")
                    .replace(schema.getValue() + ".", schema.getKey() + ".");
        }
        return explained;
    }

    @Override
    public String schemaOf(String liveSchema) {
        return newSchemas.getOrDefault(liveSchema, liveSchema);
    }

    /** The new copy's table; a table the archive does not create (kept, absent) is the live one. */
    @Override
    public TableRef tableOf(TableRef live) {
        return names.creates(live) ? names.shadowOf(live) : live;
    }
}
