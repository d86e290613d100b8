package org.dbreplication.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds pg_dump, pg_restore and psql and checks they can read the servers we talk to: a client older than a server
 * cannot dump it. Looks in PG_BIN_DIR when set, else in the newest /usr/lib/postgresql/N/bin (Debian's layout),
 * else on the PATH.
 */
public final class PgTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    private final Path binDir;

    private PgTools(Path binDir) {
        this.binDir = binDir;
    }

    public static PgTools locate(Optional<Path> configuredBinDir) {
        if (configuredBinDir.isPresent()) {
            Path dir = configuredBinDir.get();
            if (!Files.isExecutable(dir.resolve("pg_dump"))) {
                throw new ToolsException("PG_BIN_DIR: no executable pg_dump in " + dir);
            }
            return new PgTools(dir);
        }
        return new PgTools(newestDebianBinDir().or(PgTools::fromPath).orElseThrow(() -> new ToolsException(
                "pg_dump, pg_restore and psql were not found (looked in /usr/lib/postgresql/*/bin and on the PATH): "
                        + "install them with 'apt-get install -y postgresql-client', or set PG_BIN_DIR")));
    }

    private static Optional<Path> newestDebianBinDir() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/pg_dump")) && Files.isExecutable(p.resolve("bin/pg_restore")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> fromPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(":")).map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("pg_dump")) && Files.isExecutable(dir.resolve("pg_restore")))
                .findFirst();
    }

    public Path binDir() {
        return binDir;
    }

    public String pgDump() {
        return binDir.resolve("pg_dump").toString();
    }

    public String pgRestore() {
        return binDir.resolve("pg_restore").toString();
    }

    public String psql() {
        return binDir.resolve("psql").toString();
    }

    /** Major version of a tool, from its --version output. */
    public int majorVersion(String tool) {
        Path executable = binDir.resolve(tool);
        if (!Files.isExecutable(executable)) {
            throw new ToolsException(tool + " not found in " + binDir + ": install it with 'apt-get install -y postgresql-client'");
        }
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(output);
            if (!m.find()) {
                throw new ToolsException("cannot read the version of " + executable + " from '" + output.strip() + "'");
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new ToolsException("cannot run " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolsException("interrupted while checking " + executable);
        }
    }

    /** Fails when pg_dump or pg_restore is older than the server on the other end of {@code connection}. */
    public void checkCanHandle(Connection connection, DatabaseUrl url) {
        int server = serverMajorVersion(connection);
        for (String tool : new String[] {"pg_dump", "pg_restore"}) {
            int client = majorVersion(tool);
            if (client < server) {
                throw new ToolsException(tool + " " + client + " (" + binDir + ") is older than the server of "
                        + url.variable() + " (PostgreSQL " + server + "): install postgresql-client-" + server
                        + " (apt-get install -y postgresql-client-" + server
                        + ", from apt.postgresql.org when Debian does not ship it) or point PG_BIN_DIR at its bin directory");
            }
        }
    }

    public static int serverMajorVersion(Connection connection) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10_000;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the server version: " + e.getMessage(), e);
        }
    }

    /** pg_dump/pg_restore/psql are missing or too old for a server. */
    public static class ToolsException extends RuntimeException {
        public ToolsException(String message) {
            super(message);
        }
    }
}
