package org.dbreplication.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What the full step does with foreign-key constraints (RESTORE_FK_CONSTRAINTS). */
public enum FkMode {
    /** Create and validate them (pg_restore), as the source had them. */
    TRUE("true"),
    /** Do not create them. */
    FALSE("false"),
    /** Create them as NOT VALID: the metadata analysts and tools read, without the validation scan. */
    NOT_VALID("not-valid");

    private final String setting;

    FkMode(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    public static FkMode parse(String variable, String value) {
        for (FkMode mode : values()) {
            if (mode.setting.equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new ConfigException(variable, "expected one of "
                + Arrays.stream(values()).map(FkMode::setting).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
