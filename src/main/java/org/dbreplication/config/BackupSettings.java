package org.dbreplication.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the full copy comes from: the source itself (dump), an archive file or URL, or the PaaS's latest backup.
 * The variables that the chosen source needs are checked to be set.
 *
 * @param source           BACKUP_SOURCE
 * @param file             BACKUP_FILE (set when the source is file)
 * @param url              BACKUP_URL (set when the source is url)
 * @param urlAuthorization BACKUP_URL_AUTHORIZATION: the Authorization header of BACKUP_URL
 * @param scalingoApp      SCALINGO_APP (set when the source is scalingo)
 * @param scalingoApiToken SCALINGO_API_TOKEN (set when the source is scalingo)
 * @param scalingoAuthUrl  SCALINGO_AUTH_URL
 * @param scalingoApiUrl   SCALINGO_API_URL, default from SCALINGO_REGION
 * @param scalingoDbApiUrl SCALINGO_DB_API_URL, default from SCALINGO_REGION
 */
public record BackupSettings(BackupSource source, Optional<Path> file, Optional<String> url,
        Optional<String> urlAuthorization, Optional<String> scalingoApp, Optional<String> scalingoApiToken,
        String scalingoAuthUrl, String scalingoApiUrl, String scalingoDbApiUrl) {

    static final Variable<BackupSource> SOURCE = Variable.of("BACKUP_SOURCE", "dump", (name, value) -> BackupSource.parse(value),
            "where the full copy comes from: dump, file, url or scalingo");
    static final Variable<Path> FILE = Variable.optional("BACKUP_FILE", Check.path(), "the archive of BACKUP_SOURCE=file");
    static final Variable<String> URL = Variable.optional("BACKUP_URL", Check.httpUrl(), "the archive of BACKUP_SOURCE=url");
    static final Variable<String> URL_AUTHORIZATION = Variable.optional("BACKUP_URL_AUTHORIZATION", Check.text(),
            "Authorization header sent to BACKUP_URL").masked();
    static final Variable<String> SCALINGO_APP = Variable.optional("SCALINGO_APP", Check.text(),
            "the PaaS app whose database backup BACKUP_SOURCE=scalingo takes");
    static final Variable<String> SCALINGO_API_TOKEN = Variable.optional("SCALINGO_API_TOKEN", Check.text(),
            "an API token of the PaaS account").masked();
    static final Variable<String> SCALINGO_REGION = Variable.of("SCALINGO_REGION", "osc-fr1",
            Check.matching("[a-z0-9-]+", "must be a region name such as osc-fr1 or osc-secnum-fr1"), "the app's region");
    static final Variable<String> SCALINGO_AUTH_URL = Variable.of("SCALINGO_AUTH_URL", "https://auth.scalingo.com",
            Check.httpUrl(), "the PaaS's authentication API");
    static final Variable<String> SCALINGO_API_URL = Variable.optional("SCALINGO_API_URL", Check.httpUrl(),
            "the PaaS's API (default: https://api.<region>.scalingo.com)");
    static final Variable<String> SCALINGO_DB_API_URL = Variable.optional("SCALINGO_DB_API_URL", Check.httpUrl(),
            "the PaaS's database API (default: https://db-api.<region>.scalingo.com/api)");

    static final List<Variable<?>> VARIABLES = List.of(SOURCE, FILE, URL, URL_AUTHORIZATION, SCALINGO_APP,
            SCALINGO_API_TOKEN, SCALINGO_REGION, SCALINGO_AUTH_URL, SCALINGO_API_URL, SCALINGO_DB_API_URL);

    static BackupSettings read(Env env) {
        String region = SCALINGO_REGION.read(env);
        BackupSettings backup = new BackupSettings(SOURCE.read(env), FILE.find(env), URL.find(env),
                URL_AUTHORIZATION.find(env), SCALINGO_APP.find(env), SCALINGO_API_TOKEN.find(env),
                SCALINGO_AUTH_URL.read(env),
                SCALINGO_API_URL.find(env).orElse("https://api." + region + ".scalingo.com"),
                SCALINGO_DB_API_URL.find(env).orElse("https://db-api." + region + ".scalingo.com/api"));
        backup.requireWhatTheSourceNeeds();
        return backup;
    }

    private void requireWhatTheSourceNeeds() {
        switch (source) {
            case FILE -> required(file, FILE);
            case URL -> required(url, URL);
            case SCALINGO -> {
                required(scalingoApp, SCALINGO_APP);
                required(scalingoApiToken, SCALINGO_API_TOKEN);
            }
            default -> { }
        }
    }

    private void required(Optional<?> value, Variable<?> variable) {
        if (value.isEmpty()) {
            throw new ConfigException(variable.name(), "is not set while " + SOURCE.name() + "=" + source.setting());
        }
    }

    /** Never shows the URL (it may hold credentials), the Authorization header nor the API token. */
    @Override
    public String toString() {
        return "BackupSettings[source=" + source.setting() + ", file=" + file.map(Path::toString).orElse("")
                + ", url=" + Variable.shown(url) + ", urlAuthorization=" + Variable.shown(urlAuthorization)
                + ", scalingoApp=" + scalingoApp.orElse("") + ", scalingoApiToken=" + Variable.shown(scalingoApiToken)
                + ", scalingoAuthUrl=" + scalingoAuthUrl + ", scalingoApiUrl=" + scalingoApiUrl
                + ", scalingoDbApiUrl=" + scalingoDbApiUrl + "]";
    }
}
