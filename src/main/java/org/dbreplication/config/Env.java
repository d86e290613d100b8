package org.dbreplication.config;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The variables' texts, read through {@link Variable}; remembers the names it was asked for. */
final class Env {

    private final Map<String, String> values;
    private final SortedSet<String> read = new TreeSet<>();

    Env(Map<String, String> values) {
        this.values = values;
    }

    /** Every variable name read so far. */
    SortedSet<String> namesRead() {
        return new TreeSet<>(read);
    }

    /** The stripped text of a variable, absent when it is unset or blank. */
    Optional<String> optional(String name) {
        read.add(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
