package org.dbreplication.learningcontent;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type of the mapping: its SQL and how a JSON value becomes the text PostgreSQL reads for it. A value that
 * does not fit is refused here, before it reaches the database, so that the error can name the item and field.
 */
record ColumnType(String sql, Kind kind, int precision, int scale) {

    enum Kind { TEXT, SMALLINT, NUMERIC, BOOLEAN, TIMESTAMPTZ, TEXT_ARRAY }

    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),\\s*(\\d+)\\)");

    static ColumnType parse(String type) {
        String normalized = type.strip().toLowerCase();
        Matcher numeric = NUMERIC.matcher(normalized);
        if (numeric.matches()) {
            return new ColumnType(normalized, Kind.NUMERIC, Integer.parseInt(numeric.group(1)), Integer.parseInt(numeric.group(2)));
        }
        return switch (normalized) {
            case "text" -> new ColumnType("text", Kind.TEXT, 0, 0);
            case "smallint" -> new ColumnType("smallint", Kind.SMALLINT, 0, 0);
            case "numeric" -> new ColumnType("numeric", Kind.NUMERIC, 0, 0);
            case "boolean" -> new ColumnType("boolean", Kind.BOOLEAN, 0, 0);
            case "timestamptz", "timestamp with time zone" -> new ColumnType("timestamptz", Kind.TIMESTAMPTZ, 0, 0);
            case "text[]" -> new ColumnType("text[]", Kind.TEXT_ARRAY, 0, 0);
            default -> throw new IllegalArgumentException("unknown column type '" + type
                    + "' (known: text, smallint, numeric, numeric(p,s), boolean, timestamptz, text[])");
        };
    }

    boolean isArray() {
        return kind == Kind.TEXT_ARRAY;
    }

    /** The text PostgreSQL parses for a scalar value (never null); throws with the reason when it does not fit. */
    String scalarText(Object value) {
        String text = value.toString();
        switch (kind) {
            case TEXT:
                return text;
            case SMALLINT:
                try {
                    BigDecimal number = new BigDecimal(text.strip());
                    short parsed = number.shortValueExact();
                    return Short.toString(parsed);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new IllegalArgumentException("is not a smallint (a whole number from -32768 to 32767)");
                }
            case NUMERIC:
                BigDecimal number;
                try {
                    number = new BigDecimal(text.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("is not a number");
                }
                if (precision > 0) {
                    BigDecimal rounded = number.setScale(scale, java.math.RoundingMode.HALF_UP);
                    if (Math.max(0, rounded.precision() - rounded.scale()) > precision - scale) {
                        throw new IllegalArgumentException("does not fit " + sql);
                    }
                }
                return number.toPlainString();
            case BOOLEAN:
                if (value instanceof Boolean b) {
                    return b ? "t" : "f";
                }
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return text.equalsIgnoreCase("true") ? "t" : "f";
                }
                throw new IllegalArgumentException("is not a boolean");
            case TIMESTAMPTZ:
                if (isTimestamp(text.strip())) {
                    return text.strip();
                }
                throw new IllegalArgumentException("is not a date and time (ISO 8601)");
            default:
                throw new IllegalStateException("array type for a scalar value");
        }
    }

    private static boolean isTimestamp(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException notOffset) {
            try {
                LocalDateTime.parse(text);
                return true;
            } catch (DateTimeParseException notLocal) {
                try {
                    LocalDate.parse(text);
                    return true;
                } catch (DateTimeParseException notDate) {
                    return false;
                }
            }
        }
    }
}
