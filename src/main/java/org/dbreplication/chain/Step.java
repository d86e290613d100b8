package org.dbreplication.chain;

import java.util.Arrays;
import java.util.Optional;

/** The steps of the chain, in order. Their names are the route ids and the CLI's step names. */
public enum Step {
    FULL("full"),
    INCREMENTAL("incremental"),
    LEARNING_CONTENT("learning-content"),
    NOTIFICATION("notification");

    private final String id;

    Step(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Step> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
