package org.dbreplication.full;

import static net.logstash.logback.argument.StructuredArguments.v;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.dbreplication.config.Settings;
import org.dbreplication.logging.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PaaS's automatic backups: exchanges SCALINGO_API_TOKEN for a bearer token, finds the app's PostgreSQL add-on,
 * gets an add-on token, lists the database's backups, takes the newest of the day whose status is "done" and asks
 * for its download link. The three base URLs are settings (the provider's by default) so tests use a local fake.
 */
final class ScalingoBackups {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingoBackups.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final Settings settings;

    ScalingoBackups(Settings settings) {
        this.settings = settings;
    }

    /** The download URL of today's latest finished backup. */
    String latestBackupOfTheDay() throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((":" + settings.backup().scalingoApiToken().orElseThrow()).getBytes(StandardCharsets.UTF_8));
        JsonNode exchanged = call("POST", settings.backup().scalingoAuthUrl() + "/v1/tokens/exchange", "Basic " + basic);
        String bearer = text(exchanged, "token", "the token exchange");
        Secrets.register(bearer);
        String app = settings.backup().scalingoApp().orElseThrow();
        JsonNode addons = call("GET", settings.backup().scalingoApiUrl() + "/v1/apps/" + app + "/addons", "Bearer " + bearer);
        String addonId = StreamSupport.stream(addons.path("addons").spliterator(), false)
                .filter(a -> "postgresql".equals(a.path("addon_provider").path("id").asText()))
                .map(a -> a.path("id").asText()).findFirst()
                .orElseThrow(() -> new BackupException("the app " + app + " (SCALINGO_APP) has no PostgreSQL add-on"));
        JsonNode addonToken = call("POST", settings.backup().scalingoApiUrl() + "/v1/apps/" + app + "/addons/" + addonId + "/token",
                "Bearer " + bearer);
        String databaseToken = addonToken.path("addon").hasNonNull("token") ? addonToken.path("addon").path("token").asText()
                : text(addonToken, "token", "the add-on token");
        Secrets.register(databaseToken);
        JsonNode backups = call("GET", settings.backup().scalingoDbApiUrl() + "/databases/" + addonId + "/backups", "Bearer " + databaseToken);
        ZoneId zone = settings.schedule().cron().zone();
        LocalDate today = LocalDate.now(zone);
        Optional<JsonNode> latest = StreamSupport.stream(backups.path("database_backups").spliterator(), false)
                .filter(b -> "done".equals(b.path("status").asText()))
                .filter(b -> OffsetDateTime.parse(b.path("created_at").asText()).atZoneSameInstant(zone).toLocalDate().equals(today))
                .max(Comparator.comparing(b -> OffsetDateTime.parse(b.path("created_at").asText())));
        JsonNode backup = latest.orElseThrow(() -> new BackupException("no finished backup of the day (" + today + ", "
                + zone + ") for the PostgreSQL add-on of " + app + " yet; the step will try again"));
        LOG.info("restoring the backup {} of {}", v("backup", backup.path("id").asText()), v("created_at", backup.path("created_at").asText()));
        JsonNode archive = call("GET", settings.backup().scalingoDbApiUrl() + "/databases/" + addonId + "/backups/"
                + backup.path("id").asText() + "/archive", "Bearer " + databaseToken);
        return text(archive, "download_url", "the backup's archive link");
    }

    private JsonNode call(String method, String url, String authorization) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new BackupException("the PaaS API answered HTTP " + response.statusCode() + " to " + method + " "
                    + Download.shown(url));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new BackupException("the PaaS API did not answer JSON to " + method + " " + Download.shown(url));
        }
    }

    private static String text(JsonNode node, String field, String what) {
        if (!node.hasNonNull(field)) {
            throw new BackupException(what + " has no \"" + field + "\"");
        }
        return node.get(field).asText();
    }
}
