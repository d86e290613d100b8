package org.dbreplication.learningcontent;

import static net.logstash.logback.argument.StructuredArguments.v;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.dbreplication.chain.Runs;
import org.dbreplication.config.Settings;
import org.dbreplication.journal.ProgressRecorder;
import org.dbreplication.journal.RunJournal;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The learning-content step's beans: prepares the request to the content API, then reads its answer as a stream
 * (a bounded number of items in memory, see {@link RowCopier}) and writes each table's rows with COPY … FREEZE into
 * staging tables of a staging schema; only when every table is complete (rows, key, indexes, statistics) are the
 * live tables replaced by them, in one transaction. Any failure before it leaves the live tables exactly as they
 * were; the staging schema is dropped.
 */
public class LearningContentLoader {

    public static final String ENABLED = "learningContentEnabled";
    public static final String URL = "learningContentUrl";
    private static final Logger LOG = LoggerFactory.getLogger(LearningContentLoader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Settings settings;
    private final Mapping mapping;
    private final RunJournal journal;
    private final ProgressRecorder progress;
    /** Items read by the load under way (one load at a time: runs never overlap). */
    private final java.util.concurrent.atomic.AtomicLong itemsRead = new java.util.concurrent.atomic.AtomicLong();

    public LearningContentLoader(Settings settings, Mapping mapping, RunJournal journal, ProgressRecorder progress) {
        this.settings = settings;
        this.mapping = mapping;
        this.journal = journal;
        this.progress = progress;
    }

    /** Sets the request (URL and headers) or, without LCMS_API_URL, says there is nothing to do. */
    public void request(Exchange exchange) {
        MDC.put("step", "learning-content");
        if (settings.learningContent().apiUrl().isEmpty()) {
            LOG.info("LCMS_API_URL is not set: no learning content to load");
            exchange.setProperty(ENABLED, false);
            return;
        }
        exchange.setProperty(ENABLED, true);
        exchange.setProperty(URL, documentUrl() + (documentUrl().contains("?") ? "&" : "?")
                + "httpMethod=GET&throwExceptionOnFailure=false&disableStreamCache=true");
        exchange.getIn().setBody(null);
        exchange.getIn().removeHeaders("*", "CamelRedelivery*", "CamelRedelivered");
        // LCMS_API_KEY is masked in every log line from the start (Settings.from: a secret variable)
        exchange.getIn().setHeader("Authorization", "Bearer " + settings.learningContent().apiKey().orElse(""));
        exchange.getIn().setHeader("client", settings.databases().app());
        exchange.getIn().setHeader("Accept", "application/json");
        LOG.info("fetching the learning content from {}", v("url", documentUrl()));
    }

    /**
     * Ends the download now: an HTTP body is aborted (its connection closed; a plain close would first read the
     * rest of the body, waiting for a server that sends nothing more), any other stream closed.
     */
    private static void abortQuietly(InputStream body) {
        if (body instanceof org.apache.hc.core5.http.io.EofSensorInputStream http) {
            try {
                http.abort();
                return;
            } catch (IOException e) {
                LOG.debug("abort of the download: {}", e.getMessage());
            }
        }
        closeQuietly(body);
    }

    private String documentUrl() {
        String base = settings.learningContent().apiUrl().orElseThrow();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/databases/airtable";
    }

    /** The request failed before an answer (routes/learning-content.yaml): says where, and within which bound. */
    public void unreachable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = cause == null ? "no answer" : cause.getMessage();
        if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException) {
            throw new LearningContentException("cannot connect to the content API for GET " + documentUrl()
                    + " (LCMS_API_URL): " + why + "; the learning-content tables were not changed", cause);
        }
        if (cause instanceof IOException) {
            throw new LearningContentException("the content API did not answer GET " + documentUrl() + " within "
                    + settings.learningContent().timeoutSeconds() + " s (LCMS_TIMEOUT_SECONDS, LCMS_API_URL): " + why
                    + "; the learning-content tables were not changed", cause);
        }
        throw new LearningContentException("the request GET " + documentUrl() + " (LCMS_API_URL) failed: " + why
                + "; the learning-content tables were not changed", cause);
    }

    /** Streams the answer into staging tables and swaps them in; throws, changing nothing, on any bad input. */
    public void load(Exchange exchange) throws Exception {
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        InputStream body = exchange.getIn().getBody(InputStream.class);
        if (status != 200) {
            closeQuietly(body);
            throw new LearningContentException("the content API answered HTTP " + status + " to GET " + documentUrl()
                    + " (LCMS_API_URL); the learning-content tables were not changed");
        }
        if (body == null) {
            throw new LearningContentException("the content API sent an empty answer to GET " + documentUrl());
        }
        long start = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "learning-content-timeout");
            thread.setDaemon(true);
            return thread;
        });
        // the whole download has LCMS_TIMEOUT_SECONDS, not each read: closing the stream stops a slow trickle
        ScheduledFuture<?> deadline = watchdog.schedule(() -> {
            timedOut.set(true);
            abortQuietly(body);
        }, settings.learningContent().timeoutSeconds(), TimeUnit.SECONDS);
        // SIGTERM: the download ends at once instead of at LCMS_TIMEOUT_SECONDS
        AutoCloseable cut = () -> abortQuietly(body);
        org.dbreplication.runtime.Shutdown.closeOnStop(cut);
        // progress (the journal's, every second): bytes read of the announced length, items loaded
        org.apache.commons.io.input.BoundedInputStream counted = org.apache.commons.io.input.BoundedInputStream.builder()
                .setInputStream(body).get();
        Long announced = exchange.getIn().getHeader("Content-Length", Long.class);
        itemsRead.set(0);
        java.util.function.Supplier<java.util.List<ProgressRecorder.Item>> items = () -> java.util.List.of(
                ProgressRecorder.Item.running("bytes", "bytes", counted.getCount(),
                        announced == null ? null : Math.max(announced, counted.getCount())),
                ProgressRecorder.Item.running("items", "items", itemsRead.get(), null));
        long progressRun = exchange.getProperty(Runs.RUN_ID, 0L, Long.class);
        progress.begin(progressRun, "learning-content", items);
        boolean loaded = false;
        try (Connection target = Connections.open(settings.databases().targetUrl(), settings.databases().app() + ":learning-content")) {
            Map<String, Long> counts = loadAndSwap(target, new BufferedInputStream(counted, 1 << 16));
            loaded = true;
            Long runId = exchange.getProperty(Runs.RUN_ID, Long.class);
            for (Map.Entry<String, Long> count : counts.entrySet()) {
                LOG.info("learning content table {} loaded: {} rows", v("table", count.getKey()), v("rows", count.getValue()));
                if (runId != null) {
                    journal.learningContentCount(runId, count.getKey(), count.getValue());
                }
            }
            LOG.info("learning content replaced: {} tables in {} ms", v("tables", counts.size()),
                    v("duration_ms", (System.nanoTime() - start) / 1_000_000));
        } catch (IOException | SQLException | RuntimeException e) {
            if (timedOut.get()) {
                throw new LearningContentException("the content API did not send the whole document within "
                        + settings.learningContent().timeoutSeconds() + " s (LCMS_TIMEOUT_SECONDS) from " + documentUrl()
                        + "; the learning-content tables were not changed");
            }
            if (e instanceof LearningContentException || e instanceof RowEncoder.BadValueException) {
                throw new LearningContentException(e.getMessage() + "; the learning-content tables were not changed");
            }
            throw new LearningContentException("loading the learning content failed: " + e.getMessage()
                    + "; the learning-content tables were not changed");
        } finally {
            progress.end(progressRun, "learning-content", items, loaded);
            org.dbreplication.runtime.Shutdown.forget(cut);
            deadline.cancel(false);
            watchdog.shutdownNow();
            closeQuietly(body);
        }
    }

    /**
     * The staging tables are created and each one's rows committed as soon as its array ends (its key, indexes and
     * statistics are then built beside the reading, by {@link StagingFinisher}); the swap is one transaction. Until
     * the swap commits, a failure drops the staging schema: the live tables are never touched.
     */
    private Map<String, Long> loadAndSwap(Connection target, InputStream body) throws IOException, SQLException {
        String staging = Sql.ident(stagingSchema());
        target.setAutoCommit(true);
        try (Statement st = target.createStatement()) {
            st.execute("SET synchronous_commit = off");
            st.execute("DROP SCHEMA IF EXISTS " + staging + " CASCADE");
            st.execute("CREATE SCHEMA " + staging);
            for (Mapping.Table table : mapping.tables()) {
                st.execute("CREATE TABLE " + staging + "." + Sql.ident(table.name()) + " (" + columnsDdl(table) + ")");
            }
        }
        boolean swapped = false;
        try (StagingFinisher finisher = new StagingFinisher(settings.databases().targetUrl(), settings.databases().app() + ":learning-content", staging)) {
            long begin = System.nanoTime();
            Map<String, Long> counts = stream(target, body, staging, finisher);
            long streamed = System.nanoTime();
            for (Mapping.Table table : mapping.tables()) {
                if (!counts.containsKey(table.name())) {
                    LOG.warn("the learning content has no {} table: it is created empty", v("table", table.name()));
                    counts.put(table.name(), 0L);
                    finisher.finish(table);
                }
            }
            try {
                finisher.awaitAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LearningContentException("interrupted while the staging tables' indexes were built");
            }
            long indexed = System.nanoTime();
            // the swap: old tables out, new ones in; readers of the old tables are waited for (lock_timeout)
            target.setAutoCommit(false);
            try (Statement st = target.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '" + settings.databases().targetLockTimeoutSeconds() + "s'");
                for (Mapping.Table table : mapping.tables()) {
                    st.execute("DROP TABLE IF EXISTS public." + Sql.ident(table.name()) + " CASCADE");
                    st.execute("ALTER TABLE " + staging + "." + Sql.ident(table.name()) + " SET SCHEMA public");
                }
                st.execute("DROP SCHEMA " + staging);
                target.commit();
                swapped = true;
            }
            LOG.info("learning content: document read and copied in {} ms, keys, indexes and statistics done {} ms"
                            + " after its end, swap in {} ms",
                    v("read_ms", (streamed - begin) / 1_000_000), v("index_ms", (indexed - streamed) / 1_000_000),
                    v("swap_ms", (System.nanoTime() - indexed) / 1_000_000));
            return counts;
        } finally {
            if (!swapped) {
                dropStaging(target, staging);
            }
        }
    }

    /** After a failure: the staging schema goes; on a connection the stop aborted, the next run drops it. */
    private static void dropStaging(Connection target, String staging) {
        try {
            if (target.isClosed()) {
                return;
            }
            if (!target.getAutoCommit()) {
                target.rollback();
                target.setAutoCommit(true);
            }
            try (Statement st = target.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + staging + " CASCADE");
            }
        } catch (SQLException e) {
            LOG.warn("the staging schema {} could not be dropped ({}); the next run drops it", staging, e.getMessage());
        }
    }

    /**
     * Reads the document token by token; each known table's items are handed to a {@link RowCopier}, which writes
     * them into its staging table with COPY on its own thread.
     */
    private Map<String, Long> stream(Connection target, InputStream body, String staging, StagingFinisher finisher)
            throws IOException, SQLException {
        RowCopier copier = new RowCopier(target, staging, finisher);
        try {
            Map<String, Long> counts = read(body, copier);
            copier.finish();
            return counts;
        } catch (IOException | SQLException | RuntimeException e) {
            Exception first = copier.abandon(e);
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof SQLException sql) {
                throw sql;
            }
            throw (RuntimeException) first;
        }
    }

    private Map<String, Long> read(InputStream body, RowCopier copier) throws IOException, SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first;
            try {
                first = parser.nextToken();
            } catch (JsonParseException e) {
                throw new LearningContentException("the content API did not answer JSON (" + e.getOriginalMessage()
                        + ") at " + documentUrl());
            }
            if (first != JsonToken.START_OBJECT) {
                throw new LearningContentException("the content API answered " + first + " instead of a JSON object at " + documentUrl());
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Mapping.Table table = mapping.table(name);
                if (table == null || value != JsonToken.START_ARRAY) {
                    if (table != null) {
                        throw new LearningContentException("table " + name + " of the learning content is not an array");
                    }
                    parser.skipChildren();
                    continue;
                }
                if (counts.containsKey(name)) {
                    throw new LearningContentException("table " + name + " appears twice in the learning content");
                }
                copier.begin(table);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    copier.add(readItem(parser, table));
                    itemsRead.incrementAndGet();
                }
                counts.put(name, copier.end());
            }
        } catch (JsonParseException e) {
            throw new LearningContentException("the learning content is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        return counts;
    }

    /**
     * One item with only the properties the table's columns read: the others (texts in other languages, nested
     * objects the mapping ignores) are skipped by the parser without building them. A value that is not an object
     * is read whole, for RowEncoder to refuse it.
     */
    private static JsonNode readItem(JsonParser parser, Mapping.Table table) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return parser.readValueAsTree();
        }
        com.fasterxml.jackson.databind.node.ObjectNode item = JSON.createObjectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (table.fields().contains(name)) {
                item.set(name, parser.readValueAsTree());
            } else {
                parser.skipChildren();
            }
        }
        return item;
    }

    private static String columnsDdl(Mapping.Table table) {
        return "id text NOT NULL, " + table.columns().stream()
                .map(c -> Sql.ident(c.name()) + " " + c.type().sql()
                        + (c.type().kind() == ColumnType.Kind.BOOLEAN ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
    }

    private String stagingSchema() {
        return settings.databases().replicationSchema() + "_learning_content";
    }

    private static void closeQuietly(InputStream stream) {
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException ignored) {
            // nothing more to read
        }
    }

    /** The step's failure; the live tables are unchanged. */
    public static class LearningContentException extends RuntimeException {
        LearningContentException(String message) {
            super(message);
        }

        LearningContentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
