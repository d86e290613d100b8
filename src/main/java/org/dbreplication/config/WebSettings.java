package org.dbreplication.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web process's settings: where it listens (WEB_HOST, PORT) and the credentials of HTTP basic auth (WEB_USER,
 * WEB_PASSWORD) that everything but the liveness probe requires.
 *
 * @param host     WEB_HOST, default 0.0.0.0 (every interface, as a PaaS needs)
 * @param port     PORT, default 8080
 * @param user     WEB_USER: letters, digits, '.', '_', '-'
 * @param password WEB_PASSWORD: neither a comma nor a line break (the server's credentials file cannot hold them)
 */
public record WebSettings(String host, int port, Optional<String> user, Optional<String> password) {

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    static final Variable<String> HOST = Variable.of("WEB_HOST", "0.0.0.0", Check.text(),
            "interface the web process listens on");
    static final Variable<Integer> PORT = Variable.of("PORT", "8080", Check.integer(1, 65_535),
            "port of the web process (the PaaS sets it)");
    static final Variable<String> USER = Variable.optional("WEB_USER", Check.text(),
            "user of the web process's HTTP basic auth");
    static final Variable<String> PASSWORD = Variable.optional("WEB_PASSWORD", Check.text(),
            "password of the web process's HTTP basic auth").masked();

    static final List<Variable<?>> VARIABLES = List.of(HOST, PORT, USER, PASSWORD);

    static WebSettings read(Env env) {
        return new WebSettings(HOST.read(env), PORT.read(env), USER.find(env), PASSWORD.find(env));
    }

    /** Whether the page, the API, the metrics and Jolokia need credentials (WEB_USER and WEB_PASSWORD set). */
    public boolean authenticated() {
        return user.isPresent() && password.isPresent();
    }

    /**
     * Checks that the server may start: credentials given, or none and the server bound to this machine only.
     *
     * @throws ConfigException naming the variable at fault
     */
    public void requireSafe() {
        if (user.isPresent() != password.isPresent()) {
            throw new ConfigException(user.isPresent() ? "WEB_PASSWORD" : "WEB_USER",
                    "is not set while " + (user.isPresent() ? "WEB_USER" : "WEB_PASSWORD") + " is: set both");
        }
        if (user.isPresent() && !USER_NAME.matcher(user.get()).matches()) {
            throw new ConfigException("WEB_USER", "may hold letters, digits, '.', '_' and '-' only");
        }
        if (password.isPresent() && (password.get().contains(",") || password.get().contains("\n"))) {
            throw new ConfigException("WEB_PASSWORD", "may not hold a comma or a line break");
        }
        if (!authenticated() && !loopback()) {
            throw new ConfigException("WEB_USER", "and WEB_PASSWORD are not set: the web server would show the journal"
                    + " and accept replay requests from anyone on " + host + ":" + port + "; set them (see sample.env),"
                    + " or WEB_HOST=127.0.0.1 to serve this machine only");
        }
    }

    /** Whether the server listens on this machine only (127.0.0.0/8, ::1, localhost). */
    public boolean loopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "WebSettings[host=" + host + ", port=" + port + ", user=" + user.orElse("") + ", password="
                + Variable.shown(password) + "]";
    }
}
