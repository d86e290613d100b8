package org.dbreplication.config;

import java.util.Optional;

/**
 * One environment variable of the tool, declared once, by the settings record of the step that reads it.
 * {@link Settings#VARIABLES} lists every declaration; sample.env and the README document exactly those
 * (VariablesDocumentedTest), and {@code replication variables} prints them.
 *
 * @param name         the variable, e.g. INCREMENTAL_JOBS
 * @param defaultValue its value when unset or blank, written as in sample.env; null when it has none or when the
 *                     record derives it from another variable (TARGET_DATABASE_URL from DATABASE_URL, …)
 * @param check        the stripped, non-blank text → the value; throws {@link ConfigException} naming the variable
 * @param description  one line for the operator
 * @param secret       whether its value is masked in every log line and error ({@link Settings#from} registers it)
 */
public record Variable<T>(String name, String defaultValue, Check<T> check, String description, boolean secret) {

    /** A variable with a default. */
    static <T> Variable<T> of(String name, String defaultValue, Check<T> check, String description) {
        return new Variable<>(name, defaultValue, check, description, false);
    }

    /** A variable without a default: unset means absent. */
    static <T> Variable<T> optional(String name, Check<T> check, String description) {
        return new Variable<>(name, null, check, description, false);
    }

    /** The same variable, its value masked in logs. */
    Variable<T> masked() {
        return new Variable<>(name, defaultValue, check, description, true);
    }

    /** Its value, else its default's. */
    T read(Env env) {
        return find(env).orElseGet(() -> {
            if (defaultValue == null) {
                throw new IllegalStateException(name + " has no default: read it with find()");
            }
            return check.parse(name, defaultValue);
        });
    }

    /** Its value when it is set (and not blank). */
    Optional<T> find(Env env) {
        return env.optional(name).map(value -> check.parse(name, value));
    }

    /** What a settings record's toString shows of a secret: whether it is set, never its value. */
    static String shown(Optional<String> secret) {
        return secret.isPresent() ? "(set)" : "(unset)";
    }
}
