package org.dbreplication.config;

/** Where the full copy comes from (BACKUP_SOURCE). */
public enum BackupSource {
    /** pg_dump of SOURCE_DATABASE_URL (schema) and parallel COPY from its snapshot (rows). */
    DUMP("dump"),
    /** BACKUP_FILE: a custom-format dump, a directory dump, or a .tar.gz holding one. */
    FILE("file"),
    /** BACKUP_URL: such an archive downloaded over HTTP(S). */
    URL("url"),
    /** The latest automatic backup of the day of the PaaS's PostgreSQL add-on (SCALINGO_APP). */
    SCALINGO("scalingo");

    private final String setting;

    BackupSource(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    static BackupSource parse(String value) {
        for (BackupSource source : values()) {
            if (source.setting.equals(value.strip())) {
                return source;
            }
        }
        throw new ConfigException("BACKUP_SOURCE", "expected dump, file, url or scalingo, got '" + value + "'");
    }
}
