package org.dbreplication.config;

/** How one table is replicated, from BACKUP_MODE. Tables not named there are copied by the full step. */
public enum TableMode {
    /** Kept out of the full copy; its new rows (by an increasing key) are appended by the incremental step. */
    INCREMENTAL("incremental"),
    /** Kept out of the full copy; rows whose cursor column moved are inserted or updated by the incremental step. */
    UPSERT("upsert"),
    /** Kept out of the full copy and never touched. */
    NONE("none");

    private final String setting;

    TableMode(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    /** Whether the incremental step copies rows of such tables. */
    public boolean copiedIncrementally() {
        return this != NONE;
    }
}
