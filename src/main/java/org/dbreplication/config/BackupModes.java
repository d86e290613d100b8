package org.dbreplication.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dbreplication.pg.TableRef;

/**
 * BACKUP_MODE: a JSON object naming the tables kept out of the full copy. Keys are table names of the
 * {@code public} schema, written as they are in the catalog (no quoting); values are a mode
 * ({@code "incremental"}, {@code "none"}) or an object {@code {"mode": "incremental", "key": "id"}} /
 * {@code {"mode": "upsert", "key": "id", "cursor": "updatedAt"}}.
 */
public final class BackupModes {

    public static final String VARIABLE = "BACKUP_MODE";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<TableRef, TableSpec> specs;

    private BackupModes(Map<TableRef, TableSpec> specs) {
        this.specs = Collections.unmodifiableMap(specs);
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
        Map<TableRef, TableSpec> specs = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String table = field.getKey();
            if (table.isBlank()) {
                throw new ConfigException(VARIABLE, "has an empty table name");
            }
            TableRef ref = TableRef.publicTable(table);
            specs.put(ref, spec(ref, field.getValue()));
        }
        return new BackupModes(specs);
    }

    private static TableSpec spec(TableRef table, JsonNode value) {
        if (value.isTextual()) {
            return new TableSpec(table, mode(table, value.asText()), Optional.empty(), Optional.empty());
        }
        if (!value.isObject()) {
            throw new ConfigException(VARIABLE, "table '" + table.name() + "' has " + value
                    + "; expected \"incremental\", \"none\" or an object such as {\"mode\": \"upsert\", \"key\": \"id\", \"cursor\": \"updatedAt\"}");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("mode", "key", "cursor").contains(name)) {
                throw new ConfigException(VARIABLE, "table '" + table.name() + "' has an unknown field '" + name
                        + "'; known fields are mode, key, cursor");
            }
        }
        JsonNode mode = value.get("mode");
        if (mode == null || !mode.isTextual()) {
            throw new ConfigException(VARIABLE, "table '" + table.name() + "' needs a \"mode\"");
        }
        TableMode parsed = mode(table, mode.asText());
        Optional<String> key = text(table, value, "key");
        Optional<String> cursor = text(table, value, "cursor");
        if (parsed == TableMode.UPSERT && cursor.isEmpty()) {
            throw new ConfigException(VARIABLE, "table '" + table.name()
                    + "' is in upsert mode and needs a \"cursor\" column (e.g. \"updatedAt\")");
        }
        if (parsed != TableMode.UPSERT && cursor.isPresent()) {
            throw new ConfigException(VARIABLE, "table '" + table.name() + "': \"cursor\" only applies to the upsert mode");
        }
        return new TableSpec(table, parsed, key, cursor);
    }

    private static Optional<String> text(TableRef table, JsonNode value, String field) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new ConfigException(VARIABLE, "table '" + table.name() + "': \"" + field + "\" must be a column name");
        }
        return Optional.of(node.asText());
    }

    private static TableMode mode(TableRef table, String value) {
        for (TableMode mode : TableMode.values()) {
            if (mode.setting().equals(value)) {
                return mode;
            }
        }
        throw new ConfigException(VARIABLE, "table '" + table.name() + "' has mode \"" + value
                + "\"; expected \"incremental\", \"upsert\" or \"none\"");
    }

    /** Tables that the full step must not drop nor copy, with their mode. */
    public Map<TableRef, TableMode> keptTables() {
        Map<TableRef, TableMode> modes = new TreeMap<>();
        specs.forEach((table, spec) -> modes.put(table, spec.mode()));
        return modes;
    }

    /** Tables the incremental step copies, in name order. */
    public List<TableSpec> incrementalTables() {
        return specs.values().stream().filter(s -> s.mode().copiedIncrementally()).toList();
    }

    public boolean isKept(TableRef table) {
        return specs.containsKey(table);
    }

    @Override
    public String toString() {
        return specs.values().stream().map(s -> s.table() + "=" + s.mode().setting())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
