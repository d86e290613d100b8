package org.dbreplication.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.camel.Exchange;
import org.dbreplication.chain.RunPlan;
import org.dbreplication.chain.Step;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.ReplayRequests;
import org.dbreplication.logging.Secrets;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;

/**
 * The status page's API (routes/web.yaml), JSON read from the journal: PostgreSQL builds each document (json_agg),
 * errors are stored masked and masked again on the way out. A journal that cannot be read answers 503 naming it.
 */
public class StatusApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Settings settings;
    private final ReplayRequests requests;
    private final org.dbreplication.journal.JournalConnections connections;
    private final String schema;

    /** {@code connections}: the journal's pool, which the page's reads share with the replay requests. */
    public StatusApi(Settings settings, ReplayRequests requests, org.dbreplication.journal.JournalConnections connections) {
        this.settings = settings;
        this.requests = requests;
        this.connections = connections;
        this.schema = Sql.ident(settings.databases().replicationSchema());
    }

    /** GET /api/runs: the last 30 runs, newest first, each with its step attempts and their durations (s). */
    public void runs(Exchange exchange) {
        answer(exchange, """
                SELECT coalesce(json_agg(r ORDER BY r.id DESC), '[]') FROM (
                  SELECT r.id, r.trigger, r.plan, r.status, r.started_at, r.ended_at, r.error, r.resumes_run_id,
                         round(extract(epoch FROM coalesce(r.ended_at, now()) - r.started_at)::numeric, 1) AS seconds,
                         (SELECT coalesce(json_agg(json_build_object('step', a.step, 'attempt', a.attempt,
                                 'status', a.status, 'started_at', a.started_at, 'ended_at', a.ended_at, 'error', a.error,
                                 'seconds', round(extract(epoch FROM coalesce(a.ended_at, now()) - a.started_at)::numeric, 1))
                                 ORDER BY a.started_at), '[]')
                          FROM %1$s.step_attempts a WHERE a.run_id = r.id) AS attempts
                  FROM %1$s.runs r ORDER BY r.id DESC LIMIT 30) r""");
    }

    /** GET /api/progress: the running run (null if none) and the progress of the latest run that recorded some. */
    public void progress(Exchange exchange) {
        answer(exchange, """
                SELECT json_build_object(
                  'running', (SELECT row_to_json(r) FROM (SELECT id, trigger, plan, started_at, host FROM %1$s.runs
                              WHERE status = 'running' ORDER BY id DESC LIMIT 1) r),
                  'items', (SELECT coalesce(json_agg(p ORDER BY p.step, p.item), '[]') FROM (
                              SELECT run_id, step, item, unit, state, done, total, rate,
                                     extract(epoch FROM eta)::bigint AS eta_seconds, updated_at
                              FROM %1$s.progress) p))""");
    }

    /** GET /api/incremental: rows copied per run and incremental table, for the last 30 runs that copied any. */
    public void incremental(Exchange exchange) {
        answer(exchange, """
                SELECT coalesce(json_agg(i ORDER BY i.run_id, i.table_name), '[]') FROM (
                  SELECT x.run_id, r.started_at, x.table_name, x.rows, x.duration_ms
                  FROM %1$s.incremental_results x JOIN %1$s.runs r ON r.id = x.run_id
                  WHERE x.run_id IN (SELECT DISTINCT run_id FROM %1$s.incremental_results
                                     ORDER BY run_id DESC LIMIT 30)) i""");
    }

    /**
     * GET /api/full: the items of the latest run whose full step recorded some (table copies, index builds…), in
     * start order, for the timeline and the slowest per category.
     */
    public void full(Exchange exchange) {
        answer(exchange, """
                SELECT json_build_object('run_id', l.run_id, 'items', (
                  SELECT coalesce(json_agg(json_build_object('category', i.category, 'name', i.name,
                         'started_at', i.started_at, 'ended_at', i.ended_at, 'rows', i.rows,
                         'seconds', round(extract(epoch FROM i.ended_at - i.started_at)::numeric, 3))
                         ORDER BY i.started_at, i.name), '[]')
                  FROM %1$s.restore_items i WHERE i.run_id = l.run_id))
                FROM (SELECT max(run_id) AS run_id FROM %1$s.restore_items) l""");
    }

    /** GET /api/requests: the last 20 replay requests. */
    public void requests(Exchange exchange) {
        answer(exchange, """
                SELECT coalesce(json_agg(q ORDER BY q.id DESC), '[]') FROM (
                  SELECT id, plan, step, origin, state, requested_at, claimed_by, run_id, ended_at, message
                  FROM %1$s.replay_requests ORDER BY id DESC LIMIT 20) q""");
    }

    /**
     * POST /api/replay, body {@code {"plan": "all" | "from" | "only", "step": "…"}}: records a replay request
     * (origin "page"); 202 with its id, 400 naming what is wrong.
     */
    public void replay(Exchange exchange) {
        String kind;
        String step;
        try {
            JsonNode body = JSON.readTree(exchange.getIn().getBody(String.class));
            kind = body.path("plan").asText("all");
            step = body.hasNonNull("step") && !kind.equals("all") ? body.get("step").asText() : null;
            RunPlan.of(kind, step, java.util.List.of(Step.values()));
        } catch (IllegalArgumentException | java.io.IOException | NullPointerException e) {
            send(exchange, 400, JSON.createObjectNode().put("error", "a replay request is {\"plan\": \"all\"|\"from\"|\"only\","
                    + " \"step\": \"full\"|\"incremental\"|\"learning-content\"|\"notification\"}: "
                    + e.getMessage()).toString());
            return;
        }
        try {
            long id = requests.request(kind, step, "page");
            send(exchange, 202, JSON.createObjectNode().put("id", id).put("state", "pending").toString());
        } catch (SQLException | RuntimeException e) {
            unavailable(exchange, e);
        }
    }

    private void answer(Exchange exchange, String sql) {
        try (Connection c = connections.get();
             PreparedStatement ps = c.prepareStatement(sql.formatted(schema)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            // compact, whatever spacing PostgreSQL's json functions used
            send(exchange, 200, Secrets.mask(JSON.readTree(rs.getString(1)).toString()));
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            unavailable(exchange, e);
        }
    }

    private void unavailable(Exchange exchange, Exception e) {
        send(exchange, 503, JSON.createObjectNode().put("error", "cannot read the journal on DATABASE_URL ("
                + settings.databases().targetUrl() + "): " + Secrets.mask(Connections.firstLineOf(String.valueOf(e.getMessage()))))
                .toString());
    }

    private static void send(Exchange exchange, int status, String json) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setBody(json);
    }
}
