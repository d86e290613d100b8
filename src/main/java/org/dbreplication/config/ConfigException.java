package org.dbreplication.config;

/** A setting is missing or malformed. The message always names the variable at fault and never its secret value. */
public class ConfigException extends RuntimeException {

    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
