package org.dbreplication.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * When the background process runs the chain, how each step is retried, and how long an interrupted night may be
 * resumed.
 *
 * @param cron                SCHEDULE in SCHEDULE_TIMEZONE
 * @param zone                SCHEDULE_TIMEZONE (also the schema export's)
 * @param maxRetryCount       MAX_RETRY_COUNT: attempts per step and per webhook
 * @param retryDelayMillis    EXPONENTIAL_RETRY_DELAY: the first backoff (ms)
 * @param maxRetryDelayMillis MAX_RETRY_DELAY: the backoff's cap (ms)
 * @param resumeWindowHours   RESUME_WINDOW: hours after its interruption during which a night is resumed (0: never)
 */
public record ScheduleSettings(Schedule cron, ZoneId zone, int maxRetryCount, int retryDelayMillis,
        int maxRetryDelayMillis, int resumeWindowHours) {

    static final Variable<String> SCHEDULE = Variable.of("SCHEDULE", "10 5 * * *", Check.text(),
            "when the background process runs the chain (cron, 5 fields or 6 with seconds first)");
    static final Variable<ZoneId> TIMEZONE = Variable.of("SCHEDULE_TIMEZONE", "Europe/Paris", Check.zone(),
            "time zone of SCHEDULE and DB_SCHEMA_EXPORTER_SCHEDULE");
    static final Variable<Integer> MAX_RETRY_COUNT = Variable.of("MAX_RETRY_COUNT", "10", Check.integer(1, 1000),
            "attempts per step (and per webhook)");
    static final Variable<Integer> RETRY_DELAY = Variable.of("EXPONENTIAL_RETRY_DELAY", "1000",
            Check.integer(0, 3_600_000), "first backoff between two attempts (ms), doubled at each attempt");
    static final Variable<Integer> MAX_RETRY_DELAY = Variable.of("MAX_RETRY_DELAY", "300000",
            Check.integer(0, 86_400_000), "cap of the backoff (ms)");
    static final Variable<Integer> RESUME_WINDOW = Variable.of("RESUME_WINDOW", "12", Check.integer(0, 168),
            "hours after its interruption during which a night is resumed at start (0: never)");

    static final List<Variable<?>> VARIABLES = List.of(SCHEDULE, TIMEZONE, MAX_RETRY_COUNT, RETRY_DELAY,
            MAX_RETRY_DELAY, RESUME_WINDOW);

    static ScheduleSettings read(Env env) {
        ZoneId zone = TIMEZONE.read(env);
        return new ScheduleSettings(Schedule.parse(SCHEDULE.name(), SCHEDULE.read(env), zone), zone,
                MAX_RETRY_COUNT.read(env), RETRY_DELAY.read(env), MAX_RETRY_DELAY.read(env), RESUME_WINDOW.read(env));
    }

    /** RESUME_WINDOW as a duration. */
    public Duration resumeWindow() {
        return Duration.ofHours(resumeWindowHours);
    }
}
