package org.dbreplication.learningcontent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Where a column's value comes from in an item, as written in the mapping's {@code from} / {@code value}:
 * a property path, {@code !!path} (present and truthy), {@code [path]} (an array of that value), or a constant.
 */
interface Extractor {

    JsonNode extract(JsonNode item);

    static Extractor parse(String from, Object constant, boolean hasConstant, String locale) {
        if (hasConstant) {
            JsonNode value = constant == null ? NullNode.getInstance()
                    : constant instanceof Number n ? JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(n.toString()))
                    : constant instanceof Boolean b ? JsonNodeFactory.instance.booleanNode(b)
                    : JsonNodeFactory.instance.textNode(constant.toString());
            return item -> value;
        }
        String path = from.replace("{locale}", locale);
        String[] parts = propertyPath(path).split("\\.");
        if (path.startsWith("!!")) {
            return item -> JsonNodeFactory.instance.booleanNode(truthy(at(item, parts)));
        }
        if (path.startsWith("[") && path.endsWith("]")) {
            return item -> {
                JsonNode value = at(item, parts);
                if (value.isMissingNode() || value.isNull()) {
                    return NullNode.getInstance();
                }
                return value.isArray() ? value : JsonNodeFactory.instance.arrayNode().add(value);
            };
        }
        return item -> at(item, parts);
    }

    /** The item's top-level property that {@code from} reads: {@code !!embedUrl} → embedUrl, {@code [name_i18n.fr]} → name_i18n. */
    static String topField(String from, String locale) {
        String path = propertyPath(from.replace("{locale}", locale));
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    /** The property path inside {@code !!path} or {@code [path]}. */
    private static String propertyPath(String path) {
        if (path.startsWith("!!")) {
            return path.substring(2);
        }
        return path.startsWith("[") && path.endsWith("]") ? path.substring(1, path.length() - 1) : path;
    }

    private static JsonNode at(JsonNode item, String[] parts) {
        JsonNode node = item;
        for (String part : parts) {
            node = node.path(part);
        }
        return node;
    }

    /** JavaScript's truthiness, as the original's {@code !!x}. */
    static boolean truthy(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0 && !Double.isNaN(value.doubleValue());
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        return true;
    }
}
