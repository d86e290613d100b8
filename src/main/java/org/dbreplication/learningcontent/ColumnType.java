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

    static boolean isTimestamp(String text) {
        return isCommonIsoTimestamp(text) || parses(text);
    }

    /**
     * The form the content API writes ({@code 2023-05-04T10:11:12.000Z}: date, time with seconds, an optional
     * fraction of 1 to 9 digits, an optional offset {@code Z} or {@code ±HH:MM}), checked by hand: java.time's parsers
     * took a sixth of the step's CPU, one per timestamp. Accepts only what {@link #parses} accepts; anything else
     * goes to it.
     */
    static boolean isCommonIsoTimestamp(String t) {
        int n = t.length();
        if (n < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return false;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        int i = 19;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (t.charAt(i) == 'Z') {
            return i + 1 == n;
        }
        if ((t.charAt(i) != '+' && t.charAt(i) != '-') || i + 6 != n || t.charAt(i + 3) != ':') {
            return false;
        }
        int offsetHours = digits(t, i + 1, 2);
        int offsetMinutes = digits(t, i + 4, 2);
        return offsetHours >= 0 && offsetHours <= 17 && offsetMinutes >= 0 && offsetMinutes <= 59;
    }

    /** The number written by {@code length} ASCII digits at {@code from}; -1 if one is not a digit. */
    private static int digits(String t, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean parses(String text) {
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
