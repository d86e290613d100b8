package org.dbreplication.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.dbreplication.config.Settings;

/** A web process of the test's own (WebServer on a free port of 127.0.0.1, with credentials) and requests to it. */
public final class WebClient implements AutoCloseable {

    public static final String USER = "operator";
    public static final String PASSWORD = "s3cret-web-password";
    private final WebServer server;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private WebClient(WebServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a web process on {@code variables} (DATABASE_URL…) plus a free PORT and the test's credentials. */
    public static WebClient start(Map<String, String> variables) throws Exception {
        Map<String, String> web = new HashMap<>(variables);
        int port = freePort();
        web.put("PORT", Integer.toString(port));
        web.put("WEB_HOST", "127.0.0.1");
        web.putIfAbsent("WEB_USER", USER);
        web.putIfAbsent("WEB_PASSWORD", PASSWORD);
        return new WebClient(WebServer.start(Settings.from(web)), port);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** GET with the test's credentials. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basic(USER, PASSWORD)).build());
    }

    /** GET with these credentials (null: none). */
    public HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return send(request.build());
    }

    /** POST of a JSON body with the test's credentials. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basic(USER, PASSWORD))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
