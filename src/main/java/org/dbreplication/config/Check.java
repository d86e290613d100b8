package org.dbreplication.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * How the text of a variable becomes a value. The text is stripped and never blank; an error names the variable and
 * says what was expected. A check never repeats a value that may hold credentials (URLs).
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface Check<T> {

    /**
     * @param name  the variable, for the error
     * @param value its text
     * @throws ConfigException naming the variable
     */
    T parse(String name, String value);

    static Check<String> text() {
        return (name, value) -> value;
    }

    static Check<Path> path() {
        return (name, value) -> Path.of(value);
    }

    /** A whole number within [min, max]. */
    static Check<Integer> integer(int min, int max) {
        return (name, value) -> {
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "must be a whole number, got '" + value + "'");
            }
            if (parsed < min || parsed > max) {
                throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        };
    }

    /** true/false, 1/0, yes/no, on/off. */
    static Check<Boolean> bool() {
        return (name, value) -> switch (value.toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + value + "'");
        };
    }

    /** An http(s) URL with a host. */
    static Check<String> httpUrl() {
        return (name, value) -> {
            try {
                URI uri = new URI(value);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new ConfigException(name, "must be an http:// or https:// URL");
                }
                return value;
            } catch (URISyntaxException e) {
                throw new ConfigException(name, "is not a valid URL");
            }
        };
    }

    /** A time zone of the tz database, such as Europe/Paris, or UTC. */
    static Check<ZoneId> zone() {
        return (name, value) -> {
            try {
                return ZoneId.of(value);
            } catch (DateTimeException e) {
                throw new ConfigException(name, "is not a time zone such as Europe/Paris or UTC, got '" + value + "'");
            }
        };
    }

    /** A PostgreSQL interval written as a number and a unit, such as 5 minutes or 1 hour. */
    static Check<String> interval() {
        return matching("(?i)\\d+\\s*(seconds?|minutes?|hours?|days?|s|min|h|d)",
                "must be a duration such as '5 minutes' or '1 hour'");
    }

    /** A PostgreSQL memory size such as 512MB or 2GB, returned without spaces. */
    static Check<String> memorySize() {
        Check<String> size = matching("(?i)\\d+\\s*(kB|MB|GB|TB)?", "must be a PostgreSQL memory size such as 512MB or 1GB");
        return (name, value) -> size.parse(name, value).replace(" ", "");
    }

    /** Text matching a regular expression; the error says {@code expectation}, then the value. */
    static Check<String> matching(String regex, String expectation) {
        return (name, value) -> {
            if (!value.matches(regex)) {
                throw new ConfigException(name, expectation + ", got '" + value + "'");
            }
            return value;
        };
    }
}
