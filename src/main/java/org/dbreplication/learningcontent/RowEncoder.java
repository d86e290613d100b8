package org.dbreplication.learningcontent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one item of the document into one line of COPY's text format for its table: id first, then the mapped
 * columns. Every value is escaped for COPY, arrays become PostgreSQL array literals whose elements are quoted, so
 * that commas, quotes, braces, backslashes, tabs and newlines arrive intact.
 */
final class RowEncoder {

    /** A value of the document that cannot go into its column; the message names table, item, field and value. */
    static class BadValueException extends RuntimeException {
        BadValueException(String message) {
            super(message);
        }
    }

    private RowEncoder() {
    }

    static byte[] encode(Mapping.Table table, JsonNode item, long position) {
        String id = id(table, item, position);
        StringBuilder line = new StringBuilder(256);
        escape(id, line);
        for (Mapping.Column column : table.columns()) {
            line.append('\t');
            JsonNode value = column.extractor().extract(item);
            try {
                if (column.type().isArray()) {
                    array(value, line);
                } else {
                    scalar(column.type(), value, line);
                }
            } catch (IllegalArgumentException e) {
                throw new BadValueException("table " + table.name() + ", item " + id + ", field " + column.name()
                        + ": value " + abbreviate(value.toString()) + " " + e.getMessage());
            }
        }
        line.append('\n');
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String id(Mapping.Table table, JsonNode item, long position) {
        JsonNode id = item.path("id");
        if (!item.isObject()) {
            throw new BadValueException("table " + table.name() + ": item number " + position + " is not an object");
        }
        if (id.isMissingNode() || id.isNull() || id.asText().isEmpty() || id.isContainerNode()) {
            throw new BadValueException("table " + table.name() + ": item number " + position + " has no id");
        }
        return id.asText();
    }

    private static void scalar(ColumnType type, JsonNode value, StringBuilder line) {
        JsonNode single = value.isArray() ? (value.isEmpty() ? null : value.get(0)) : value;
        if (single == null || single.isMissingNode() || single.isNull()) {
            if (type.kind() == ColumnType.Kind.BOOLEAN) {
                line.append('f');
            } else {
                line.append("\\N");
            }
            return;
        }
        Object raw = single.isBoolean() ? (Object) single.booleanValue()
                : single.isTextual() ? single.textValue()
                : single.isNumber() ? single.decimalValue().toPlainString()
                : single.toString();
        escape(type.scalarText(raw), line);
    }

    private static void array(JsonNode value, StringBuilder line) {
        if (value.isMissingNode() || value.isNull()) {
            line.append("\\N");
            return;
        }
        List<JsonNode> elements = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(elements::add);
        } else {
            elements.add(value);
        }
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            if (i > 0) {
                literal.append(',');
            }
            if (element.isNull()) {
                literal.append("NULL");
            } else {
                String text = element.isTextual() ? element.textValue() : element.toString();
                literal.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        literal.append('}');
        escape(literal.toString(), line);
    }

    /** COPY text format: backslash, newline, carriage return and tab are escaped; NUL cannot be stored in text. */
    static void escape(String text, StringBuilder line) {
        // most values hold nothing to escape: copied whole, not char by char
        int plain = 0;
        while (plain < text.length() && !needsEscape(text.charAt(plain))) {
            plain++;
        }
        line.append(text, 0, plain);
        for (int i = plain; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                case '\0' -> throw new IllegalArgumentException("contains a NUL character, which PostgreSQL text cannot hold");
                default -> line.append(c);
            }
        }
    }

    private static boolean needsEscape(char c) {
        return c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\0';
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
