package org.dbreplication.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.logging.Secrets;

/**
 * The web process (the Procfile's "web"), read-only: {@code /health} — the process and the last run, HTTP 503 when
 * the last run failed or the journal cannot be read — and {@code /runs}, the recent runs as JSON. Never a secret:
 * errors in the journal are stored masked.
 */
public final class StatusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final RunJournal journal;

    private StatusServer(HttpServer server, RunJournal journal) {
        this.server = server;
        this.journal = journal;
    }

    public static StatusServer start(int port, RunJournal journal) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        StatusServer status = new StatusServer(server, journal);
        server.createContext("/health", status::health);
        server.createContext("/runs", status::runs);
        server.start();
        return status;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        int status = 200;
        try {
            List<RunJournal.Run> last = journal.recentRuns(1);
            body.put("status", "up");
            if (last.isEmpty()) {
                body.putNull("last_run");
            } else {
                body.set("last_run", run(last.get(0)));
                if (last.get(0).status().equals("failed") || last.get(0).status().equals("interrupted")) {
                    status = 503;
                    body.put("status", "last run " + last.get(0).status());
                }
            }
        } catch (SQLException | RuntimeException e) {
            status = 503;
            body.put("status", "journal unavailable");
            body.put("error", Secrets.mask(String.valueOf(e.getMessage())));
        }
        send(exchange, status, body.toString());
    }

    private void runs(HttpExchange exchange) throws IOException {
        try {
            ArrayNode runs = JSON.createArrayNode();
            for (RunJournal.Run run : journal.recentRuns(20)) {
                ObjectNode node = run(run);
                ArrayNode steps = node.putArray("steps");
                for (RunJournal.Attempt attempt : journal.attempts(run.id())) {
                    ObjectNode step = steps.addObject();
                    step.put("step", attempt.step()).put("attempt", attempt.attempt()).put("status", attempt.status())
                            .put("started_at", String.valueOf(attempt.startedAt()))
                            .put("ended_at", attempt.endedAt() == null ? null : attempt.endedAt().toString());
                }
                runs.add(node);
            }
            send(exchange, 200, runs.toString());
        } catch (SQLException | RuntimeException e) {
            send(exchange, 503, JSON.createObjectNode().put("error", Secrets.mask(String.valueOf(e.getMessage()))).toString());
        }
    }

    private static ObjectNode run(RunJournal.Run run) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", run.id()).put("trigger", run.trigger()).put("plan", run.plan()).put("status", run.status())
                .put("started_at", run.startedAt().toString())
                .put("ended_at", run.endedAt() == null ? null : run.endedAt().toString())
                .put("error", run.error() == null ? null : Secrets.mask(run.error()));
        return node;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
