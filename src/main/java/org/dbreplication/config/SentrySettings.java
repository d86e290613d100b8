package org.dbreplication.config;

import java.util.List;
import java.util.Optional;

/**
 * Errors sent to Sentry.
 *
 * @param enabled        SENTRY_ENABLED
 * @param dsn            SENTRY_DSN (set when enabled)
 * @param environment    SENTRY_ENVIRONMENT
 * @param maxBreadcrumbs SENTRY_MAX_BREADCRUMBS
 * @param debug          SENTRY_DEBUG
 */
public record SentrySettings(boolean enabled, Optional<String> dsn, String environment, int maxBreadcrumbs,
        boolean debug) {

    static final Variable<Boolean> ENABLED = Variable.of("SENTRY_ENABLED", "false", Check.bool(),
            "true: failures are sent to Sentry");
    static final Variable<String> DSN = Variable.optional("SENTRY_DSN", Check.text(), "the Sentry project's DSN").masked();
    static final Variable<String> ENVIRONMENT = Variable.of("SENTRY_ENVIRONMENT", "production", Check.text(),
            "environment of the Sentry events");
    static final Variable<Integer> MAX_BREADCRUMBS = Variable.of("SENTRY_MAX_BREADCRUMBS", "100", Check.integer(0, 1000),
            "log lines sent with each event");
    static final Variable<Boolean> DEBUG = Variable.of("SENTRY_DEBUG", "false", Check.bool(),
            "true: the Sentry client logs what it does");

    static final List<Variable<?>> VARIABLES = List.of(ENABLED, DSN, ENVIRONMENT, MAX_BREADCRUMBS, DEBUG);

    static SentrySettings read(Env env) {
        SentrySettings sentry = new SentrySettings(ENABLED.read(env), DSN.find(env), ENVIRONMENT.read(env),
                MAX_BREADCRUMBS.read(env), DEBUG.read(env));
        if (sentry.enabled && sentry.dsn.isEmpty()) {
            throw new ConfigException(DSN.name(), "is not set while " + ENABLED.name() + "=true");
        }
        return sentry;
    }

    /** Never shows the DSN. */
    @Override
    public String toString() {
        return "SentrySettings[enabled=" + enabled + ", dsn=" + Variable.shown(dsn) + ", environment=" + environment
                + ", maxBreadcrumbs=" + maxBreadcrumbs + ", debug=" + debug + "]";
    }
}
