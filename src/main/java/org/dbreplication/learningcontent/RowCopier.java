package org.dbreplication.learningcontent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.dbreplication.pg.Sql;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.MDC;

/**
 * Encodes the document's items into COPY lines and writes them into their staging tables on a thread of its own,
 * while the calling thread reads the document. Why: tokenizing the JSON and encoding the rows were one thread's work,
 * about half each; handed over in batches they overlap. It pays with the C1 compiler only (bin/replication's
 * default): with C2 as well, its compiling kept the second core of a 2-core machine busy during the reading.
 *
 * <p>The reader calls {@link #begin}, {@link #add} for each item and {@link #end} for each table, then
 * {@link #finish}; or, when it fails, {@link #abandon}. At most {@value #QUEUED_BATCHES} batches of
 * {@value #BATCH} items wait between the two threads (a few MB of the heap). A table's rows are committed when its
 * batch that ends it has been written; the {@link StagingFinisher} then gets the table, as before.
 *
 * <p>Failures: the copier's own (a value that does not fit, the server refusing the COPY) stops its writing; the
 * reader sees it at its next hand-over and gets it from {@link #add}, {@link #end} or {@link #finish}. When both
 * fail, the copier's failure is the one reported: its item comes earlier in the document than where the reader is.
 */
final class RowCopier {

    static final int BATCH = 128;
    static final int QUEUED_BATCHES = 16;
    private static final Batch END = new Batch(null, List.of(), 0, false);

    /** Items of one table, numbered from firstPosition (the item's place in its array, for error messages). */
    private record Batch(Mapping.Table table, List<JsonNode> items, long firstPosition, boolean endsTable) {
    }

    private final Connection target;
    private final String staging;
    private final StagingFinisher finisher;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final ExecutorService thread;
    private final Future<?> copying;
    private volatile boolean failed;
    private boolean ended;
    private Mapping.Table table;
    private List<JsonNode> items;
    private long firstPosition;
    private long position;

    /** @param staging the staging schema's quoted name; the target is used by the copier until finish or abandon */
    RowCopier(Connection target, String staging, StagingFinisher finisher) {
        this.target = target;
        this.staging = staging;
        this.finisher = finisher;
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread copier = new Thread(r, "learning-content-copy");
            copier.setDaemon(true);
            return copier;
        });
        this.copying = thread.submit(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            copyAll();
            return null;
        });
    }

    /** The items that follow are the table's. */
    void begin(Mapping.Table table) {
        this.table = table;
        this.items = new ArrayList<>(BATCH);
        this.firstPosition = 1;
        this.position = 0;
    }

    void add(JsonNode item) throws IOException, SQLException {
        position++;
        items.add(item);
        if (items.size() == BATCH) {
            handOver(false);
        }
    }

    /** The table is complete; returns its number of items. */
    long end() throws IOException, SQLException {
        handOver(true);
        return position;
    }

    /** Waits until every handed-over row is written and its table committed; throws the copier's failure. */
    void finish() throws IOException, SQLException {
        endAndAwait();
        thread.shutdown();
    }

    /**
     * After the reader's failure: the copier writes what it was handed, then cancels the COPY under way. Returns the
     * failure to report: the copier's own if it had one (earlier in the document), else the reader's.
     */
    Exception abandon(Exception readerFailure) {
        try {
            endAndAwait();
            return readerFailure;
        } catch (IOException | SQLException | RuntimeException copierFailure) {
            return copierFailure;
        } finally {
            thread.shutdownNow();
        }
    }

    private void handOver(boolean endsTable) throws IOException, SQLException {
        if (failed) {
            endAndAwait();
        }
        put(new Batch(table, items, firstPosition, endsTable));
        firstPosition = position + 1;
        items = new ArrayList<>(BATCH);
    }

    /** Sends the end mark (once) and waits for the copier's thread; throws its failure. */
    private void endAndAwait() throws IOException, SQLException {
        if (!ended) {
            ended = true;
            put(END);
        }
        await();
    }

    private void put(Batch batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LearningContentLoader.LearningContentException("interrupted while the learning content was read");
        }
    }

    private void await() throws IOException, SQLException {
        try {
            copying.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LearningContentLoader.LearningContentException("interrupted while the learning content was copied");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    /** The copier's thread: runs until the reader's END, draining without writing once it has failed. */
    private void copyAll() throws Exception {
        CopyIn copy = null;
        Throwable failure = null;
        while (true) {
            Batch batch = queue.take();
            if (batch == END) {
                break;
            }
            if (failure != null) {
                continue;
            }
            try {
                if (copy == null) {
                    copy = copyIn(batch.table());
                }
                for (int i = 0; i < batch.items().size(); i++) {
                    byte[] line = RowEncoder.encode(batch.table(), batch.items().get(i), batch.firstPosition() + i);
                    copy.writeToCopy(line, 0, line.length);
                }
                if (batch.endsTable()) {
                    copy.endCopy();
                    copy = null;
                    target.commit();
                    finisher.finish(batch.table());
                }
            } catch (Exception | Error e) {  // an Error too: the reader must never wait on a dead copier
                failure = e;
                failed = true;
            }
        }
        // not on an aborted connection (the process stops): pgjdbc would spin on its closed socket
        if (copy != null && copy.isActive() && !target.isClosed()) {
            try {
                copy.cancelCopy();
            } catch (SQLException ignored) {
                // the first error is the one to report
            }
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw (Exception) failure;
        }
    }

    /**
     * Starts the table's COPY with FREEZE: its rows are written frozen and the table all-visible, so that the key,
     * the indexes and ANALYZE that follow, and the analysts' first queries, do not each visit every row to set its
     * hint bits. FREEZE needs the table emptied in the same transaction, hence the TRUNCATE of the staging table.
     */
    private CopyIn copyIn(Mapping.Table table) throws SQLException {
        String qualified = staging + "." + Sql.ident(table.name());
        String columns = "id, " + table.columns().stream().map(c -> Sql.ident(c.name())).collect(Collectors.joining(", "));
        target.setAutoCommit(false);
        try (java.sql.Statement st = target.createStatement()) {
            st.execute("TRUNCATE " + qualified);
        }
        return target.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + qualified + " (" + columns + ") FROM STDIN (FREEZE)");
    }
}
