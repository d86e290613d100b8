package org.dbreplication.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the full step replaces the live copy on the target (FULL_REFRESH). */
public enum FullRefresh {
    /**
     * Build the new copy beside the live one (the new copy's schemas), check it, then move it in at once in one
     * short transaction: readers see the previous complete copy until then. Needs room for two copies.
     */
    SWAP("swap"),
    /** Replace the schema first, then load the rows into it: for a target that cannot hold two copies. */
    IN_PLACE("in-place");

    private final String setting;

    FullRefresh(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    public static FullRefresh parse(String variable, String value) {
        for (FullRefresh mode : values()) {
            if (mode.setting.equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new ConfigException(variable, "expected one of "
                + Arrays.stream(values()).map(FullRefresh::setting).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
