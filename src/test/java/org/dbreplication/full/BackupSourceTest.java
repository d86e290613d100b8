package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.dbreplication.CliRunner;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.dbreplication.pg.PgTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full step from backup archives the test makes itself (pg_dump, tar.gz), served from files, HTTP and a fake PaaS. */
class BackupSourceTest {

    static DatabaseUrl source;
    @TempDir
    static Path archives;
    static Path custom;
    static Path directory;
    static Path tarGz;
    DatabaseUrl target;

    @BeforeAll
    static void makeArchives() throws Exception {
        source = TestPostgres.createDatabase("backup_source", null);
        Db.execute(source, """
                CREATE TYPE public.status AS ENUM ('ok', 'ko');
                CREATE TABLE public.users (id serial PRIMARY KEY, name text, "createdAt" timestamptz DEFAULT now());
                COMMENT ON TABLE public.users IS 'users from the backup';
                CREATE TABLE public.answers (id bigserial PRIMARY KEY, "userId" integer REFERENCES public.users,
                    status public.status NOT NULL, "challengeId" text);
                CREATE INDEX "answers_userId_index" ON public.answers ("userId");
                CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer REFERENCES public.users,
                    "answerId" bigint REFERENCES public.answers, "createdAt" timestamptz DEFAULT now());
                CREATE INDEX "knowledge-elements_userId_index" ON public."knowledge-elements" ("userId");
                CREATE VIEW public."user-count" AS SELECT count(*) AS n FROM public.users;
                INSERT INTO public.users (name) SELECT 'user ' || i FROM generate_series(1, 300) i;
                INSERT INTO public.answers ("userId", status, "challengeId") SELECT 1 + i % 300, 'ok', 'rec' || i FROM generate_series(1, 2000) i;
                INSERT INTO public."knowledge-elements" ("userId", "answerId") SELECT 1 + i % 300, 1 + i % 2000 FROM generate_series(1, 4000) i;
                """);
        PgTools tools = PgTools.locate(java.util.Optional.empty());
        custom = archives.resolve("backup.pgsql");
        directory = archives.resolve("backup-dir");
        run(tools.pgDump(), "--format=custom", "--no-owner", "--file=" + custom, source.libpqConninfo(null, "tests", null));
        run(tools.pgDump(), "--format=directory", "--no-owner", "--file=" + directory, source.libpqConninfo(null, "tests", null));
        tarGz = archives.resolve("backup.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tarGz)))) {
            TarArchiveEntry entry = new TarArchiveEntry("20261123010203_pix.pgsql");
            entry.setSize(Files.size(custom));
            tar.putArchiveEntry(entry);
            Files.copy(custom, tar);
            tar.closeArchiveEntry();
        }
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    @AfterAll
    static void dropSource() {
        TestPostgres.dropDatabase(source);
    }

    @BeforeEach
    void createTarget() {
        target = TestPostgres.createDatabase("backup_target", null);
    }

    @AfterEach
    void dropTarget() {
        TestPostgres.dropDatabase(target);
    }

    Map<String, String> variables(String backupSource) {
        Map<String, String> variables = new HashMap<>();
        variables.put("DATABASE_URL", target.toString());
        variables.put("BACKUP_SOURCE", backupSource);
        return variables;
    }

    void assertRestored() {
        for (String table : List.of("users", "answers", "\"knowledge-elements\"")) {
            assertThat(Db.scalar(target, "SELECT count(*) || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM public." + table + " t"))
                    .as(table).isEqualTo(Db.scalar(source, "SELECT count(*) || md5(string_agg(t::text, ',' ORDER BY t::text)) FROM public." + table + " t"));
        }
        assertThat(Db.scalar(target, "SELECT obj_description('public.users'::regclass)")).isEqualTo("users from the backup");
        assertThat(Db.scalar(target, "SELECT n FROM public.\"user-count\"")).isEqualTo("300");
        assertThat(Db.scalar(target, "SELECT last_value FROM public.answers_id_seq")).isEqualTo("2000");
        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"))
                .contains("answers_userId_index", "users_createdAt_idx", "answers_challengeId_idx", "knowledge-elements_createdAt_idx");
    }

    @Test
    void aCustomDumpADirectoryDumpAndATarGzAreRestoredAsFromTheSource() {
        for (Path backup : List.of(custom, directory, tarGz)) {
            Map<String, String> variables = variables("file");
            variables.put("BACKUP_FILE", backup.toString());

            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

            assertThat(result.exitCode()).as(backup + ": " + result.err()).isZero();
            assertRestored();
            assertThat(Db.rows(target, "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f'"
                    + " AND connamespace = 'public'::regnamespace")).hasSize(3).allSatisfy(r -> assertThat(r.get(1)).isEqualTo("f"));
        }
        // routes/journal.yaml: each run's milestones, in the archive's route too
        assertThat(Db.column(target, "SELECT name || ' x' || count(*) FROM replication.step_milestones GROUP BY name ORDER BY min(at)"))
                .containsExactly("Start create Backup x3", "Start restore x3", "Restore done x3", "Import and enrichment done x3");
    }

    @Test
    void keptTablesAndForeignKeyModesHaveTheSameMeaningWithAnArchive() {
        Db.execute(target, """
                CREATE TABLE public."knowledge-elements" (id bigserial PRIMARY KEY, "userId" integer, "answerId" bigint,
                    "createdAt" timestamptz DEFAULT now());
                INSERT INTO public."knowledge-elements" ("userId") VALUES (1), (2);
                """);
        Map<String, String> variables = variables("file");
        variables.put("BACKUP_FILE", custom.toString());
        variables.put("BACKUP_MODE", "{\"knowledge-elements\": \"incremental\"}");
        variables.put("RESTORE_FK_CONSTRAINTS", "true");
        variables.put("REPLICATION_TARGET_TAKEOVER", "true");

        CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Db.count(target, "SELECT count(*) FROM public.\"knowledge-elements\"")).isEqualTo(2);
        assertThat(Db.count(target, "SELECT count(*) FROM public.answers")).isEqualTo(2000);
        assertThat(Db.column(target, "SELECT conname || ':' || convalidated FROM pg_constraint WHERE contype = 'f'"
                + " AND connamespace = 'public'::regnamespace")).containsExactly("answers_userId_fkey:true");
        assertThat(Db.column(target, "SELECT indexname FROM pg_indexes WHERE tablename = 'knowledge-elements'"))
                .containsExactly("knowledge-elements_pkey");
    }

    @Test
    void aCorruptArchiveIsRefusedAndTheTargetIsUntouched() throws IOException {
        Map<String, String> first = variables("file");
        first.put("BACKUP_FILE", custom.toString());
        assertThat(CliRunner.run(first, "run", "--only", "full").exitCode()).isZero();
        Map<String, String> before = Db.state(target);
        Path corrupt = archives.resolve("corrupt.pgsql");
        byte[] bytes = Files.readAllBytes(custom);
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Path notAnArchive = archives.resolve("page.tar.gz");
        Files.writeString(notAnArchive, "<html>not found</html>");

        for (Path bad : List.of(corrupt, notAnArchive)) {
            Map<String, String> variables = variables("file");
            variables.put("BACKUP_FILE", bad.toString());
            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).containsAnyOf("pg_restore of archive " + bad + " failed (exit code 1)", "is neither a custom-format dump");
        }
        assertThat(Db.state(target)).isEqualTo(before);
    }

    @Test
    void aBackupUrlIsDownloadedWithItsAuthorizationHeader() throws Exception {
        try (FakeServer server = new FakeServer()) {
            server.route("/backups/latest.tar.gz", exchange -> {
                if (!"Bearer backup-Secret".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    server.send(exchange, 401, "no".getBytes());
                    return;
                }
                server.send(exchange, 200, Files.readAllBytes(tarGz));
            });
            Map<String, String> variables = variables("url");
            variables.put("BACKUP_URL", server.url("/backups/latest.tar.gz?signature=abc"));
            variables.put("BACKUP_URL_AUTHORIZATION", "Bearer wrong");
            CliRunner.Result refused = CliRunner.run(variables, "run", "--only", "full");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("HTTP 401", "/backups/latest.tar.gz").doesNotContain("signature=abc");

            variables.put("BACKUP_URL_AUTHORIZATION", "Bearer backup-Secret");
            CliRunner.Result result = CliRunner.run(variables, "run", "--only", "full");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertRestored();
        }
    }

    @Test
    void thePaasBackupOfTheDayIsFoundDownloadedAndRestored() throws Exception {
        try (FakeServer paas = new FakeScalingo(tarGz, true, false)) {
            CliRunner.Result result = CliRunner.run(scalingo(paas), "run", "--only", "full");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertRestored();
            assertThat(paas.requests).containsExactly("POST /auth/v1/tokens/exchange", "GET /api/v1/apps/pix-app/addons",
                    "POST /api/v1/apps/pix-app/addons/ad-pg/token", "GET /db/api/databases/ad-pg/backups",
                    "GET /db/api/databases/ad-pg/backups/b-today-late/archive", "GET /download/b-today-late.tar.gz");
        }
    }

    @Test
    void noBackupOfTheDayOrAnExpiredLinkFailClearly() throws Exception {
        try (FakeServer paas = new FakeScalingo(tarGz, false, false)) {
            CliRunner.Result result = CliRunner.run(scalingo(paas), "run", "--only", "full");
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("no finished backup of the day").contains("pix-app");
        }
        try (FakeServer paas = new FakeScalingo(tarGz, true, true)) {
            CliRunner.Result result = CliRunner.run(scalingo(paas), "run", "--only", "full");
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("HTTP 403", "expired or refused link").doesNotContain("sig=");
        }
        assertThat(Db.scalar(target, "SELECT to_regclass('public.users')")).isNull();
    }

    Map<String, String> scalingo(FakeServer paas) {
        Map<String, String> variables = variables("scalingo");
        variables.put("SCALINGO_APP", "pix-app");
        variables.put("SCALINGO_API_TOKEN", "tk-us-secret");
        variables.put("SCALINGO_REGION", "osc-secnum-fr1");
        variables.put("SCALINGO_AUTH_URL", paas.url("/auth"));
        variables.put("SCALINGO_API_URL", paas.url("/api"));
        variables.put("SCALINGO_DB_API_URL", paas.url("/db/api"));
        variables.put("SCHEDULE_TIMEZONE", "UTC");
        return variables;
    }

    /** A local HTTP server answering per path. */
    static class FakeServer implements AutoCloseable {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();

        interface Handler {
            void handle(HttpExchange exchange) throws IOException;
        }

        FakeServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.start();
        }

        void route(String path, Handler handler) {
            server.createContext(path, exchange -> {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                handler.handle(exchange);
            });
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        void send(HttpExchange exchange, int status, byte[] body) throws IOException {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        void json(HttpExchange exchange, String json) throws IOException {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            send(exchange, 200, json.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The PaaS's APIs as the backup flow uses them: token exchange, add-ons, add-on token, backups, archive link. */
    static class FakeScalingo extends FakeServer {
        FakeScalingo(Path archive, boolean backupToday, boolean linkExpired) throws IOException {
            String today = OffsetDateTime.now(ZoneOffset.UTC).withHour(1).withMinute(0).withSecond(0).withNano(0).toString();
            String later = OffsetDateTime.now(ZoneOffset.UTC).withHour(2).withMinute(0).withSecond(0).withNano(0).toString();
            String yesterday = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).toString();
            route("/auth/v1/tokens/exchange", exchange -> {
                String expected = "Basic " + Base64.getEncoder().encodeToString(":tk-us-secret".getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    send(exchange, 401, "{}".getBytes());
                    return;
                }
                json(exchange, "{\"token\": \"bearer-1\"}");
            });
            route("/api/v1/apps/pix-app/addons", exchange -> {
                if (exchange.getRequestURI().getPath().endsWith("/token")) {
                    json(exchange, "{\"addon\": {\"id\": \"ad-pg\", \"token\": \"db-token\"}}");
                    return;
                }
                json(exchange, "{\"addons\": [{\"id\": \"ad-redis\", \"addon_provider\": {\"id\": \"redis\"}},"
                        + " {\"id\": \"ad-pg\", \"addon_provider\": {\"id\": \"postgresql\"}}]}");
            });
            route("/db/api/databases/ad-pg/backups", exchange -> {
                if (!"Bearer db-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    send(exchange, 401, "{}".getBytes());
                    return;
                }
                if (exchange.getRequestURI().getPath().endsWith("/archive")) {
                    json(exchange, "{\"download_url\": \"" + url("/download/b-today-late.tar.gz?sig=secret-signature") + "\"}");
                    return;
                }
                String todays = backupToday ? "{\"id\": \"b-today\", \"status\": \"done\", \"created_at\": \"" + today + "\"},"
                        + "{\"id\": \"b-today-late\", \"status\": \"done\", \"created_at\": \"" + later + "\"}," : "";
                json(exchange, "{\"database_backups\": [" + todays
                        + "{\"id\": \"b-running\", \"status\": \"running\", \"created_at\": \"" + later + "\"},"
                        + "{\"id\": \"b-yesterday\", \"status\": \"done\", \"created_at\": \"" + yesterday + "\"}]}");
            });
            route("/download/", exchange -> {
                if (linkExpired) {
                    send(exchange, 403, "<Error>Request has expired</Error>".getBytes());
                    return;
                }
                send(exchange, 200, Files.readAllBytes(archive));
            });
        }
    }
}
