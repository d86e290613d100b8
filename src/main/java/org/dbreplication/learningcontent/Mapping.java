package org.dbreplication.learningcontent;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The learning-content mapping (learning-content/mapping.yaml): tables, their columns, extractors and indexes. */
public final class Mapping {

    record Column(String name, ColumnType type, Extractor extractor) {
    }

    /** {@code fields}: the item's top-level properties its columns read ("id" included); the others are skipped unread. */
    record Table(String name, List<Column> columns, List<String> indexes, java.util.Set<String> fields) {
    }

    private final Map<String, Table> tables;

    private Mapping(Map<String, Table> tables) {
        this.tables = tables;
    }

    public static Mapping load(String locale) {
        try (InputStream in = Mapping.class.getResourceAsStream("/learning-content/mapping.yaml")) {
            return parse(in, locale);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read learning-content/mapping.yaml", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Mapping parse(InputStream yaml, String locale) {
        Map<String, Object> root = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(yaml);
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, Object> tableNodes = (Map<String, Object>) root.get("tables");
        for (Map.Entry<String, Object> tableNode : tableNodes.entrySet()) {
            String table = tableNode.getKey();
            Map<String, Object> definition = (Map<String, Object>) tableNode.getValue();
            List<Column> columns = new ArrayList<>();
            java.util.Set<String> fields = new java.util.HashSet<>(java.util.Set.of("id"));
            for (Object columnNode : (List<Object>) definition.get("columns")) {
                Map<String, Object> column = (Map<String, Object>) columnNode;
                String name = (String) column.get("name");
                try {
                    String from = column.containsKey("from") ? (String) column.get("from") : name;
                    if (!column.containsKey("value")) {
                        fields.add(Extractor.topField(from, locale));
                    }
                    columns.add(new Column(name, ColumnType.parse((String) column.get("type")),
                            Extractor.parse(from, column.get("value"), column.containsKey("value"), locale)));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("learning-content mapping, table " + table + ", column " + name + ": "
                            + e.getMessage(), e);
                }
            }
            List<String> indexes = (List<String>) definition.getOrDefault("indexes", List.of());
            for (String index : indexes) {
                if (columns.stream().noneMatch(c -> c.name().equals(index))) {
                    throw new IllegalStateException("learning-content mapping, table " + table + ": index on unknown column " + index);
                }
            }
            tables.put(table, new Table(table, List.copyOf(columns), List.copyOf(indexes), java.util.Set.copyOf(fields)));
        }
        return new Mapping(tables);
    }

    public List<String> tableNames() {
        return List.copyOf(tables.keySet());
    }

    Table table(String name) {
        return tables.get(name);
    }

    List<Table> tables() {
        return List.copyOf(tables.values());
    }
}
