package org.dbreplication.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.sentry.Sentry;
import io.sentry.logback.SentryAppender;
import org.dbreplication.config.Settings;
import org.slf4j.LoggerFactory;

/** SENTRY_ENABLED=true: every ERROR log line (a step's dead letter, a failed run) also goes to Sentry. */
public final class SentryLogging {

    private SentryLogging() {
    }

    public static void enableIfConfigured(Settings settings) {
        if (!settings.sentry().enabled()) {
            return;
        }
        Sentry.init(options -> {
            options.setDsn(settings.sentry().dsn().orElseThrow());
            options.setEnvironment(settings.sentry().environment());
            options.setMaxBreadcrumbs(settings.sentry().maxBreadcrumbs());
            options.setDebug(settings.sentry().debug());
            options.setRelease(settings.databases().app());
            options.setBeforeSend((event, hint) -> {
                if (event.getMessage() != null && event.getMessage().getFormatted() != null) {
                    event.getMessage().setFormatted(Secrets.mask(event.getMessage().getFormatted()));
                }
                return event;
            });
        });
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        SentryAppender appender = new SentryAppender();
        appender.setContext(context);
        appender.setMinimumEventLevel(Level.ERROR);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
}
