package org.dbreplication.config;

import java.util.Map;
import java.util.Optional;

/** Typed reads of environment variables; every error names the variable. Remembers the names it was asked for. */
final class Env {

    private final Map<String, String> values;
    private final java.util.Set<String> read = new java.util.TreeSet<>();

    Env(Map<String, String> values) {
        this.values = values;
    }

    /** Every variable name read so far (each read goes through {@link #optional}). */
    java.util.SortedSet<String> namesRead() {
        return new java.util.TreeSet<>(read);
    }

    Optional<String> optional(String name) {
        read.add(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "must be a whole number, got '" + value.get() + "'");
        }
    }

    boolean bool(String name, boolean defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, "must be true or false, got '" + value.get() + "'");
        };
    }

    /** An http(s) URL; the message never repeats a value that may hold credentials. */
    String httpUrl(String name, String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(name, "must be an http:// or https:// URL");
            }
            return value;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(name, "is not a valid URL");
        }
    }

    java.time.ZoneId zone(String name, String defaultValue) {
        String value = string(name, defaultValue);
        try {
            return java.time.ZoneId.of(value);
        } catch (java.time.DateTimeException e) {
            throw new ConfigException(name, "is not a time zone such as Europe/Paris or UTC, got '" + value + "'");
        }
    }

    /** A PostgreSQL interval written as a number and a unit, such as 5 minutes or 1 hour. */
    String interval(String name, String defaultValue) {
        String value = string(name, defaultValue);
        if (!value.matches("(?i)\\d+\\s*(seconds?|minutes?|hours?|days?|s|min|h|d)")) {
            throw new ConfigException(name, "must be a duration such as '5 minutes' or '1 hour', got '" + value + "'");
        }
        return value;
    }

    /** A PostgreSQL memory size such as 512MB or 2GB. */
    String memorySize(String name, String defaultValue) {
        String value = string(name, defaultValue);
        if (!value.matches("(?i)\\d+\\s*(kB|MB|GB|TB)?")) {
            throw new ConfigException(name, "must be a PostgreSQL memory size such as 512MB or 1GB, got '" + value + "'");
        }
        return value.replace(" ", "");
    }
}
