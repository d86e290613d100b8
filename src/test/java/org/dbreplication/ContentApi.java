package org.dbreplication;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A real HTTP server started by a test: stands in for the content API (answers as told) and for webhook receivers
 * (records every request with its headers and body). {@code statuses} answers the first requests with these codes.
 */
public final class ContentApi implements AutoCloseable {

    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final java.util.Queue<Integer> statuses = new java.util.concurrent.ConcurrentLinkedQueue<>();
    public volatile int status = 200;
    public volatile String contentType = "application/json";
    public volatile byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    /** When set, the answer stops after half the body until the latch opens. */
    public volatile CountDownLatch pauseHalfway;
    public volatile CountDownLatch halfSent = new CountDownLatch(1);

    public ContentApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), requestBody));
            byte[] answer = body;
            Integer next = statuses.poll();
            int code = next == null ? status : next;
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(code, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                CountDownLatch pause = pauseHalfway;
                if (pause == null) {
                    out.write(answer);
                } else {
                    out.write(answer, 0, answer.length / 2);
                    out.flush();
                    halfSent.countDown();
                    try {
                        pause.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    out.write(answer, answer.length / 2, answer.length - answer.length / 2);
                }
            } catch (IOException clientGone) {
                // the client gave up (timeout tests)
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public void answer(int status, String body) {
        this.status = status;
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
