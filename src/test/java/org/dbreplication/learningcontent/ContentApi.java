package org.dbreplication.learningcontent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A real HTTP server standing in for the content API: answers GET /api/databases/airtable as told. */
final class ContentApi implements AutoCloseable {

    record Request(String method, String path, Map<String, List<String>> headers) {
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String contentType = "application/json";
    volatile byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    /** When set, the answer stops after half the body until the latch opens. */
    volatile CountDownLatch pauseHalfway;
    volatile CountDownLatch halfSent = new CountDownLatch(1);

    ContentApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders())));
            byte[] answer = body;
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, answer.length);
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

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    void answer(int status, String body) {
        this.status = status;
        this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
