package org.dbreplication.notification;

import static net.logstash.logback.argument.StructuredArguments.v;

import java.sql.SQLException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.dbreplication.chain.Runs;
import org.dbreplication.config.Settings;
import org.dbreplication.config.Webhook;
import org.dbreplication.journal.RunJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The notification step's beans: the webhooks of NOTIFICATIONS, each called with a POST of the run's JSON summary
 * (and the raw token in Authorization when given), each retried on its own; the step fails once all were called
 * if one still failed.
 */
public class Webhooks {

    static final String RESULTS = "webhookResults";
    /** The webhook one branch of the fan-out calls (a Webhook). */
    static final String WEBHOOK = "webhook";
    /** Its Camel endpoint, read by notification.yaml's toD: {@code ${exchangeProperty.webhookEndpoint}}. */
    public static final String ENDPOINT = "webhookEndpoint";
    /** The run's JSON summary, built once for every webhook. */
    static final String SUMMARY = "webhookSummary";
    private static final String ATTEMPTS = "webhookAttempts";
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private final Settings settings;
    private final RunJournal journal;

    record Result(Webhook webhook, boolean delivered, String detail) {
    }

    public Webhooks(Settings settings, RunJournal journal) {
        this.settings = settings;
        this.journal = journal;
    }

    /** The webhooks to call (the split's body); the summary is built once for all. */
    public List<Webhook> list(Exchange exchange) throws SQLException {
        MDC.put("step", "notification");
        List<Webhook> webhooks = settings.notifications().webhooks();
        exchange.setProperty(RESULTS, new ConcurrentLinkedQueue<Result>());
        if (webhooks.isEmpty()) {
            LOG.info("NOTIFICATIONS is empty: no webhook to call");
        } else {
            exchange.setProperty(SUMMARY, RunSummary.of(journal, exchange.getProperty(Runs.RUN_ID, Long.class)));
        }
        return webhooks;
    }

    /** Prepares the POST to one webhook. */
    public void request(Exchange exchange) {
        Webhook webhook = exchange.getIn().getBody(Webhook.class);
        exchange.setProperty(WEBHOOK, webhook);
        exchange.setProperty(ENDPOINT, webhook.url() + (webhook.url().contains("?") ? "&" : "?")
                + "httpMethod=POST&throwExceptionOnFailure=true");
        exchange.getIn().removeHeaders("*", "CamelRedelivery*", "CamelRedelivered");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        webhook.token().ifPresent(token -> exchange.getIn().setHeader("Authorization", token));
        exchange.getIn().setBody(exchange.getProperty(SUMMARY, String.class));
    }

    public void delivered(Exchange exchange) throws SQLException {
        Webhook webhook = exchange.getProperty(WEBHOOK, Webhook.class);
        Integer status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        record(exchange, new Result(webhook, true, "HTTP " + status), status);
        LOG.info("webhook {} notified (HTTP {})", v("url", webhook.displayUrl()), v("http_status", status));
    }

    /** The dead letter of one webhook: its attempts are exhausted; the others go on. */
    public void failed(Exchange exchange) throws SQLException {
        Webhook webhook = exchange.getProperty(WEBHOOK, Webhook.class);
        if (webhook == null) {
            // the failure came before request() read it: it is still the split's body
            webhook = exchange.getIn().getBody(Webhook.class);
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = cause instanceof org.apache.camel.http.base.HttpOperationFailedException http ? http.getStatusCode() : null;
        String detail = status != null ? "HTTP " + status : cause == null ? "unknown error" : cause.getMessage();
        record(exchange, new Result(webhook, false, detail), status);
        org.dbreplication.runtime.Shutdown.logFailure(LOG, "webhook {} failed after {} attempts: {}", v("url", webhook.displayUrl()), v("attempts", attempts(exchange)),
                v("error", detail));
    }

    private void record(Exchange exchange, Result result, Integer status) throws SQLException {
        @SuppressWarnings("unchecked")
        Queue<Result> results = exchange.getProperty(RESULTS, Queue.class);
        results.add(result);
        journal.webhookResult(exchange.getProperty(Runs.RUN_ID, Long.class), result.webhook().displayUrl(),
                result.delivered() ? "delivered" : "failed", status,
                attempts(exchange), result.delivered() ? null : result.detail());
    }

    private static int attempts(Exchange exchange) {
        return exchange.getProperty(ATTEMPTS, 1, Integer.class);
    }

    /** The error handler's hook before each new attempt of a webhook (onRedelivery): counts it. */
    public static class Retried implements org.apache.camel.Processor {
        @Override
        public void process(Exchange exchange) {
            exchange.setProperty(ATTEMPTS, attempts(exchange) + 1);
        }
    }

    /** After every webhook was called: fails the step, naming them, if one could not be notified. */
    public void checkAll(@ExchangeProperty(RESULTS) Queue<Result> results) {
        List<String> failures = results.stream().filter(r -> !r.delivered())
                .map(r -> r.webhook().displayUrl() + " (" + r.detail() + ")").toList();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " webhook(s) could not be notified: " + String.join(", ", failures));
        }
    }
}
