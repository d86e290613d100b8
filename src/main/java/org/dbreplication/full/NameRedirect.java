package org.dbreplication.full;

import org.dbreplication.pg.TableRef;

/**
 * Where the SQL of the archive creates and finds its objects on the target: under their own names (the in-place
 * refresh), or in the new copy's schemas beside the live ones (the swap, {@code FULL_REFRESH=swap}).
 */
public interface NameRedirect {

    /** The archive's names, unchanged. */
    NameRedirect NONE = new NameRedirect() {
        @Override
        public String rewrite(String sql) {
            return sql;
        }

        @Override
        public TableRef tableOf(TableRef live) {
            return live;
        }
    };

    /** A server's message about the copy being built, with the live names again (what an operator knows). */
    default String explain(String message) {
        return message;
    }

    /** The schema the copy's objects of a live schema are built in (the compatibility view goes there). */
    default String schemaOf(String liveSchema) {
        return liveSchema;
    }

    /** The SQL with every reference to an object the archive creates pointing where it is built. */
    String rewrite(String sql);

    /** Where the copy of a table of the archive is built. */
    TableRef tableOf(TableRef live);
}
