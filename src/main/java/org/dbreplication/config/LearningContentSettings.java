package org.dbreplication.config;

import java.util.List;
import java.util.Optional;

/**
 * The learning-content step: the content API and the locale of its translated properties.
 *
 * @param apiUrl         LCMS_API_URL: base URL of the content API; absent: the step has nothing to do
 * @param apiKey         LCMS_API_KEY: its bearer token
 * @param timeoutSeconds LCMS_TIMEOUT_SECONDS: time allowed for the whole download
 * @param locale         LCMS_LOCALE: locale of the {@code …_i18n} properties read by the mapping
 */
public record LearningContentSettings(Optional<String> apiUrl, Optional<String> apiKey, int timeoutSeconds,
        String locale) {

    static final Variable<String> API_URL = Variable.optional("LCMS_API_URL", Check.httpUrl(),
            "the content API; without it the learning-content step does nothing");
    static final Variable<String> API_KEY = Variable.optional("LCMS_API_KEY", Check.text(),
            "the content API's key").masked();
    static final Variable<Integer> TIMEOUT_SECONDS = Variable.of("LCMS_TIMEOUT_SECONDS", "180",
            Check.integer(1, 86_400), "time allowed for the whole download of the learning content");
    static final Variable<String> LOCALE = Variable.of("LCMS_LOCALE", "fr", Check.text(),
            "locale of the _i18n properties read by the mapping");

    static final List<Variable<?>> VARIABLES = List.of(API_URL, API_KEY, TIMEOUT_SECONDS, LOCALE);

    static LearningContentSettings read(Env env) {
        return new LearningContentSettings(API_URL.find(env), API_KEY.find(env), TIMEOUT_SECONDS.read(env),
                LOCALE.read(env));
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "LearningContentSettings[apiUrl=" + apiUrl.orElse("") + ", apiKey=" + Variable.shown(apiKey)
                + ", timeoutSeconds=" + timeoutSeconds + ", locale=" + locale + "]";
    }
}
