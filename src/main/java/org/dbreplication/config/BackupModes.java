package org.dbreplication.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dbreplication.pg.TableRef;

/**
 * BACKUP_MODE: a JSON object naming the tables kept out of the full copy, e.g.
 * {@code {"knowledge-elements": "incremental", "old-logs": "none"}}. Keys are table names of the {@code public}
 * schema, written as they are in the catalog (no quoting).
 */
public final class BackupModes {

    public static final String VARIABLE = "BACKUP_MODE";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<TableRef, TableMode> modes;

    private BackupModes(Map<TableRef, TableMode> modes) {
        this.modes = Collections.unmodifiableMap(modes);
    }

    public static BackupModes none() {
        return new BackupModes(new TreeMap<>());
    }

    public static BackupModes parse(String json) {
        if (json == null || json.isBlank()) {
            return none();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(VARIABLE, "is not valid JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); expected an object such as {\"answers\": \"incremental\"}");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(VARIABLE, "must be a JSON object such as {\"answers\": \"incremental\"}");
        }
        Map<TableRef, TableMode> modes = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String table = field.getKey();
            if (table.isBlank()) {
                throw new ConfigException(VARIABLE, "has an empty table name");
            }
            modes.put(TableRef.publicTable(table), mode(table, field.getValue()));
        }
        return new BackupModes(modes);
    }

    private static TableMode mode(String table, JsonNode value) {
        if (value.isTextual()) {
            for (TableMode mode : TableMode.values()) {
                if (mode.setting().equals(value.asText())) {
                    return mode;
                }
            }
        }
        throw new ConfigException(VARIABLE, "table '" + table + "' has mode " + value
                + "; expected \"incremental\" or \"none\"");
    }

    /** Tables that the full step must not drop nor copy. */
    public Map<TableRef, TableMode> keptTables() {
        return modes;
    }

    public boolean isKept(TableRef table) {
        return modes.containsKey(table);
    }

    @Override
    public String toString() {
        return modes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().setting())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
