package org.dbreplication.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.config.ConfigException;
import org.dbreplication.config.Settings;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web process on a real journal: nothing but the liveness probe without credentials, 401 for wrong ones, 200 for
 * good ones; Jolokia reads Camel's MBeans and runs our replay operations, never writes or runs a JVM MBean's.
 */
class WebSecurityTest {

    static DatabaseUrl target;
    static WebClient web;

    @BeforeAll
    static void start() throws Exception {
        target = TestPostgres.createDatabase("web_security", null);
        web = WebClient.start(Map.of("DATABASE_URL", target.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        TestPostgres.dropDatabase(target);
    }

    static final List<String> PROTECTED = List.of("/", "/assets/status.js", "/api/runs", "/api/progress", "/observe/health",
            "/observe/health/ready", "/observe/metrics", "/observe/jolokia/version");

    @Test
    void everythingButTheLivenessProbeNeedsTheCredentials() throws Exception {
        for (String path : PROTECTED) {
            assertThat(web.get(path, null, null).statusCode()).as("no credentials: " + path).isEqualTo(401);
            assertThat(web.get(path, WebClient.USER, "wrong").statusCode()).as("wrong password: " + path).isEqualTo(401);
            assertThat(web.get(path, "intruder", WebClient.PASSWORD).statusCode()).as("wrong user: " + path).isEqualTo(401);
            HttpResponse<String> good = web.get(path);
            assertThat(good.statusCode()).as("good credentials: " + path + " " + good.body()).isEqualTo(200);
        }
        HttpResponse<String> live = web.get("/observe/health/live", null, null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("UP");
        assertThat(web.get("/api/runs").body()).isEqualTo("[]");
        assertThat(web.get("/api/runs").headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void onlyThePageAndTheLibraryAreServedNeverAFileOfTheJarOrTheWorkingDirectory() throws Exception {
        assertThat(web.get("/").body()).contains("<html");
        assertThat(web.get("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").statusCode()).isEqualTo(200);
        for (String path : List.of("/assets/../application.properties", "/webjars/../../logback.xml", "/assets/jolokia-access.xml",
                "/pom.xml", "/application.properties", "/assets/status/../../sample.env")) {
            assertThat(web.get(path).statusCode()).as(path).isIn(404, 400);
        }
    }

    @Test
    void jolokiaReadsCamelAndRunsTheReplayOperationsButNothingElse() throws Exception {
        HttpResponse<String> search = web.post("/observe/jolokia", "{\"type\": \"search\", \"mbean\": \"org.apache.camel:type=context,*\"}");
        assertThat(search.body()).contains("\"status\":200");
        String context = new com.fasterxml.jackson.databind.ObjectMapper().readTree(search.body()).get("value").get(0).asText();
        HttpResponse<String> camel = web.post("/observe/jolokia", new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("type", "read").put("mbean", context).put("attribute", "State").toString());
        assertThat(camel.body()).contains("\"status\":200").contains("Started");

        HttpResponse<String> write = web.post("/observe/jolokia", """
                {"type": "write", "mbean": "java.lang:type=Memory", "attribute": "Verbose", "value": true}""");
        assertThat(write.body()).doesNotContain("\"status\":200").contains("\"status\":403");
        HttpResponse<String> gc = web.post("/observe/jolokia", """
                {"type": "exec", "mbean": "java.lang:type=Memory", "operation": "gc"}""");
        assertThat(gc.body()).doesNotContain("\"status\":200").contains("\"status\":403");
        HttpResponse<String> jvm = web.post("/observe/jolokia", """
                {"type": "read", "mbean": "java.lang:type=Runtime", "attribute": "SystemProperties"}""");
        assertThat(jvm.body()).doesNotContain("\"status\":200").contains("\"status\":403");

        HttpResponse<String> replay = web.post("/observe/jolokia", """
                {"type": "exec", "mbean": "org.dbreplication:type=ReplicationControl", "operation": "runOnly",
                 "arguments": ["notification"]}""");
        assertThat(replay.body()).contains("\"status\":200").contains("recorded: notification");
        assertThat(Db.rows(target, "SELECT plan, step, origin, state FROM replication.replay_requests ORDER BY id DESC LIMIT 1"))
                .containsExactly(List.of("only", "notification", "jolokia", "pending"));
        HttpResponse<String> bogus = web.post("/observe/jolokia", """
                {"type": "exec", "mbean": "org.dbreplication:type=ReplicationControl", "operation": "runOnly",
                 "arguments": ["bogus"]}""");
        assertThat(bogus.body()).doesNotContain("\"status\":200").contains("unknown step 'bogus'");
        assertThat(Db.count(target, "SELECT count(*) FROM replication.replay_requests WHERE step = 'bogus'")).isZero();
        // hawtio names an operation with its signature
        HttpResponse<String> hawtio = web.post("/observe/jolokia", """
                {"type": "exec", "mbean": "org.dbreplication:type=ReplicationControl",
                 "operation": "replayFrom(java.lang.String)", "arguments": ["learning-content"]}""");
        assertThat(hawtio.body()).contains("\"status\":200").contains("recorded: learning-content");
        // never by GET: a link or an image of another site, in a browser holding the credentials, executes nothing
        long before = Db.count(target, "SELECT count(*) FROM replication.replay_requests");
        HttpResponse<String> byGet = web.get("/observe/jolokia/exec/org.dbreplication:type=ReplicationControl/runOnly/notification");
        assertThat(byGet.body()).doesNotContain("recorded");
        assertThat(Db.count(target, "SELECT count(*) FROM replication.replay_requests")).isEqualTo(before);
    }

    @Test
    void theReplayApiRecordsARequestAndRefusesNonsenseNamingWhatIsWrong() throws Exception {
        HttpResponse<String> accepted = web.post("/api/replay", "{\"plan\": \"from\", \"step\": \"learning-content\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains("\"state\":\"pending\"");
        HttpResponse<String> bad = web.post("/api/replay", "{\"plan\": \"from\", \"step\": \"everything\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown step 'everything'");
        HttpResponse<String> weird = web.post("/api/replay", "{\"plan\": \"weird\", \"step\": \"full\"}");
        assertThat(weird.statusCode()).isEqualTo(400);
        assertThat(weird.body()).contains("unknown plan 'weird'; plans are all, from, only");
        HttpResponse<String> noStep = web.post("/api/replay", "{\"plan\": \"only\"}");
        assertThat(noStep.statusCode()).isEqualTo(400);
        assertThat(noStep.body()).contains("the plan 'only' needs a step; steps are full, incremental");
        assertThat(web.get("/api/requests").body()).contains("\"origin\":\"page\"").contains("\"step\":\"learning-content\"");
    }

    @Test
    void withoutCredentialsTheServerStartsOnlyOnThisMachine() {
        Map<String, String> variables = new HashMap<>();
        variables.put("DATABASE_URL", target.toString());
        variables.put("WEB_HOST", "0.0.0.0");
        assertThatThrownBy(() -> Settings.from(variables).web().requireSafe()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("WEB_USER").hasMessageContaining("WEB_HOST=127.0.0.1");
        variables.put("WEB_USER", "operator");
        assertThatThrownBy(() -> Settings.from(variables).web().requireSafe()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("WEB_PASSWORD");
        variables.put("WEB_PASSWORD", "a,b");
        assertThatThrownBy(() -> Settings.from(variables).web().requireSafe()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("comma").hasMessageNotContaining("a,b");
        variables.remove("WEB_USER");
        variables.remove("WEB_PASSWORD");
        variables.put("WEB_HOST", "127.0.0.1");
        Settings.from(variables).web().requireSafe();
    }
}
