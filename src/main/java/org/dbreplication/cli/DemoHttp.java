package org.dbreplication.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The demo's HTTP server, on 127.0.0.1 at a free port, in the demo's process: it stands in for the two services a
 * night talks to, so that the demo shows the learning-content and notification steps at work without any network.
 * <ul>
 *   <li>the content API: {@code GET /lcms/databases/airtable} answers the sample document
 *   ({@code sample/learning-content.json}) to the request that carries the demo's key, 401 to any other;</li>
 *   <li>a webhook receiver: {@code POST /webhook} is recorded (for the demo to print) and answered 200.</li>
 * </ul>
 * The key and the token are made up for each demo, as real ones would be secret: they are never printed.
 */
final class DemoHttp implements AutoCloseable {

    /** One webhook call as the receiver saw it. */
    record Received(String method, String path, boolean tokenMatched, String body) {
    }

    private final HttpServer server;
    private final byte[] document;
    private final String apiKey = "demo-key-" + UUID.randomUUID();
    private final String webhookToken = "demo-token-" + UUID.randomUUID();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private DemoHttp(byte[] document) throws IOException {
        this.document = document;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/lcms/databases/airtable", this::content);
        server.createContext("/webhook", this::webhook);
        // no executor: requests are answered one at a time on the server's own thread, enough for one night
        server.start();
    }

    /** Serves the sample learning-content document ({@code sample/learning-content.json} of the bundle). */
    static DemoHttp start() throws IOException {
        try (InputStream in = DemoHttp.class.getResourceAsStream("/sample/learning-content.json")) {
            return new DemoHttp(in.readAllBytes());
        }
    }

    /** LCMS_API_URL of the chain. */
    String lcmsUrl() {
        return base() + "/lcms";
    }

    /** LCMS_API_KEY of the chain. */
    String apiKey() {
        return apiKey;
    }

    String webhookUrl() {
        return base() + "/webhook";
    }

    /** NOTIFICATIONS of the chain: the receiver, with a token as a real receiver would check. */
    String notifications() {
        return "[{\"url\": \"" + webhookUrl() + "\", \"token\": \"" + webhookToken + "\"}]";
    }

    /** Every webhook call received so far, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void content(HttpExchange exchange) throws IOException {
        boolean authorized = ("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!"GET".equals(exchange.getRequestMethod()) || !authorized) {
            answer(exchange, authorized ? 405 : 401, "{}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        answer(exchange, 200, document);
    }

    private void webhook(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                webhookToken.equals(exchange.getRequestHeaders().getFirst("Authorization")), body));
        answer(exchange, 200, "{\"received\": true}".getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
