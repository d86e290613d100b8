package org.dbreplication.config;

import java.util.Optional;
import org.dbreplication.pg.TableRef;

/**
 * One table of BACKUP_MODE: its mode, the key the incremental step follows (default: the table's single-column
 * primary key) and, in upsert mode, the cursor column whose increase marks changed rows.
 */
public record TableSpec(TableRef table, TableMode mode, Optional<String> key, Optional<String> cursor) {
}
