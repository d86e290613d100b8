package org.dbreplication.pg;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.dbreplication.config.ConfigException;
import org.dbreplication.logging.Secrets;

/**
 * A database URL in the PaaS form {@code postgres://user:password@host:port/database?sslmode=require}.
 * It turns into a JDBC URL plus properties, or a libpq connection string for pg_dump/pg_restore/psql in which the
 * password is replaced by a passfile. {@link #toString()} never shows the password.
 */
public final class DatabaseUrl {

    /** libpq parameters we pass on from the URL query string. */
    private static final Set<String> LIBPQ_PARAMETERS = Set.of(
            "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "target_session_attrs");

    private final String variable;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final String database;
    private final Map<String, String> parameters;

    private DatabaseUrl(String variable, String user, String password, String host, int port, String database,
                        Map<String, String> parameters) {
        this.variable = variable;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.database = database;
        this.parameters = Map.copyOf(parameters);
    }

    /** Parses the value of {@code variable}; errors name the variable and never repeat the value. */
    public static DatabaseUrl parse(String variable, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(variable, "is not set; expected postgres://user:password@host:port/database");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new ConfigException(variable, "is not a valid URL (expected postgres://user:password@host:port/database;"
                    + " special characters in the password must be percent-encoded)");
        }
        String scheme = uri.getScheme();
        if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
            throw new ConfigException(variable, "must start with postgres:// or postgresql://, not "
                    + (scheme == null ? "nothing" : scheme + "://"));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigException(variable, "has no host (expected postgres://user:password@host:port/database)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isBlank()) {
            throw new ConfigException(variable, "has no database name (expected postgres://user:password@host:port/database)");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (user == null || user.isBlank()) {
            throw new ConfigException(variable, "has no user name (expected postgres://user:password@host:port/database)");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String val = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (LIBPQ_PARAMETERS.contains(key)) {
                    parameters.put(key, val);
                }
            }
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        Secrets.register(password);
        return new DatabaseUrl(variable, user, password, host, port, database, parameters);
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String variable() {
        return variable;
    }

    public String user() {
        return user;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    /** The password, for the passfile and the JDBC properties only. */
    String password() {
        return password;
    }

    /** The same server and credentials, another database (tests, demo, schema export). */
    public DatabaseUrl withDatabase(String otherDatabase) {
        return new DatabaseUrl(variable, user, password, host, port, otherDatabase, parameters);
    }

    /** The same server, another user and password (tests, demo). */
    public DatabaseUrl withUser(String otherUser, String otherPassword) {
        return new DatabaseUrl(variable, otherUser, otherPassword, host, port, database, parameters);
    }

    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append('/').append(java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
        return url.toString();
    }

    /** JDBC properties: credentials, TLS settings and the name shown in pg_stat_activity. */
    public Properties jdbcProperties(String applicationName) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (hasPassword()) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        String sslmode = parameters.get("sslmode");
        if (sslmode != null) {
            props.setProperty("sslmode", sslmode);
        }
        copy("sslrootcert", "sslrootcert", props);
        copy("sslcert", "sslcert", props);
        copy("sslkey", "sslkey", props);
        copy("connect_timeout", "connectTimeout", props);
        copy("target_session_attrs", "targetServerType", props);
        if (!props.containsKey("connectTimeout")) {
            props.setProperty("connectTimeout", "30");
        }
        // connectTimeout bounds the TCP connect only: a server that accepts and never answers would hold the login
        // (the TLS and authentication exchanges) forever; the login as a whole gets the same bound
        props.setProperty("loginTimeout", props.getProperty("connectTimeout"));
        return props;
    }

    private void copy(String from, String to, Properties props) {
        String value = parameters.get(from);
        if (value != null) {
            props.setProperty(to, value);
        }
    }

    /**
     * A libpq connection string for pg_dump/pg_restore/psql. The password is not in it: libpq reads it from
     * {@code passfile}, so it never shows on a command line ({@code ps}) nor in an error message.
     */
    public String libpqConninfo(PassFile passFile, String applicationName, String serverOptions) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", host);
        kv.put("port", Integer.toString(port));
        kv.put("dbname", database);
        kv.put("user", user);
        kv.putAll(parameters);
        // libpq waits forever without it; with it, the whole connection (TCP, TLS, authentication) is bounded
        kv.putIfAbsent("connect_timeout", "30");
        kv.put("application_name", applicationName);
        if (passFile != null && hasPassword()) {
            kv.put("passfile", passFile.path().toString());
        }
        if (serverOptions != null && !serverOptions.isBlank()) {
            kv.put("options", serverOptions);
        }
        StringBuilder conninfo = new StringBuilder();
        kv.forEach((key, value) -> conninfo.append(conninfo.length() == 0 ? "" : " ")
                .append(key).append("='").append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\''));
        return conninfo.toString();
    }

    /** A passfile line matching this URL (see libpq's "The Password File"). */
    String passFileLine() {
        return String.join(":", escape(host), Integer.toString(port), escape(database), escape(user), escape(password));
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** Safe to log: no password. */
    @Override
    public String toString() {
        return "postgres://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }
}
