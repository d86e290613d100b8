package org.dbreplication.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Stream;
import org.dbreplication.logging.Secrets;

/**
 * Every setting of the tool, one record per step, read from environment variables (and a {@code .env} file, where
 * the environment wins) and checked before anything runs. Each record declares its variables ({@link Variable}: name,
 * default, check, description); sample.env and the README document exactly {@link #VARIABLES}.
 */
public record Settings(DatabaseSettings databases, BackupSettings backup, FullSettings full,
        IncrementalSettings incremental, LearningContentSettings learningContent, ScheduleSettings schedule,
        NotificationSettings notifications, SchemaExportSettings schemaExport, SentrySettings sentry, WebSettings web,
        RuntimeSettings runtime) {

    /** Every variable of the settings, in the order of sample.env's sections. */
    public static final List<Variable<?>> VARIABLES = Stream.of(DatabaseSettings.VARIABLES, BackupSettings.VARIABLES,
                    FullSettings.VARIABLES, IncrementalSettings.VARIABLES, LearningContentSettings.VARIABLES,
                    ScheduleSettings.VARIABLES, NotificationSettings.VARIABLES, SchemaExportSettings.VARIABLES,
                    SentrySettings.VARIABLES, WebSettings.VARIABLES, RuntimeSettings.VARIABLES)
            .flatMap(List::stream).toList();

    /**
     * Settings from the given variables. The values of secret variables (and the webhooks' tokens) are masked in
     * every log line from here on, before any check can fail.
     *
     * @throws ConfigException naming the first variable at fault
     */
    public static Settings from(Map<String, String> variables) {
        return read(new Env(variables));
    }

    private static Settings read(Env env) {
        for (Variable<?> variable : VARIABLES) {
            if (variable.secret()) {
                env.optional(variable.name()).ifPresent(Secrets::register);
            }
        }
        ScheduleSettings schedule = ScheduleSettings.read(env);
        Settings settings = new Settings(DatabaseSettings.read(env), BackupSettings.read(env), FullSettings.read(env),
                IncrementalSettings.read(env), LearningContentSettings.read(env), schedule,
                NotificationSettings.read(env), SchemaExportSettings.read(env, schedule.zone()), SentrySettings.read(env),
                WebSettings.read(env), RuntimeSettings.read(env));
        settings.notifications.secrets().forEach(Secrets::register);
        return settings;
    }

    /**
     * The names of the variables that reading the settings asks for (both spellings of the notifications when
     * NOTIFICATIONS is set); a test checks that each is declared in {@link #VARIABLES}.
     */
    public static SortedSet<String> variablesRead(Map<String, String> variables) {
        Env env = new Env(variables);
        read(env);
        return env.namesRead();
    }

    /** The names of {@link #VARIABLES}. */
    public static List<String> variableNames() {
        return VARIABLES.stream().map(Variable::name).toList();
    }

    /** The process environment over the {@code .env} file of the working directory, when there is one. */
    public static Map<String, String> processVariables(Path workingDirectory) {
        Map<String, String> variables = new HashMap<>(DotEnv.read(workingDirectory.resolve(".env")));
        variables.putAll(System.getenv());
        return variables;
    }
}
