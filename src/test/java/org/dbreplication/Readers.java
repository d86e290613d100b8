package org.dbreplication;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dbreplication.pg.Connections;
import org.dbreplication.pg.DatabaseUrl;

/**
 * Analysts reading the copy while the full step runs: one thread and one connection per query, each running its
 * query again and again in autocommit, every answer recorded with how long it took (or the error it got).
 */
public final class Readers implements AutoCloseable {

    /** One execution of a query: its answer (every column of every row, joined), its duration, or its error. */
    public record Answer(String query, String answer, Duration took, String error, long finishedAtNanos) {
    }

    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /** Starts one reader per query on {@code db}. */
    public Readers(DatabaseUrl db, List<String> queries) {
        for (String query : queries) {
            Connection connection = Connections.open(db, "analyst-reader");
            Thread thread = new Thread(() -> loop(connection, query), "reader-" + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void loop(Connection connection, String query) {
        try (connection; Statement st = connection.createStatement()) {
            while (!stop.get()) {
                long start = System.nanoTime();
                String answer = null;
                String error = null;
                try (ResultSet rs = st.executeQuery(query)) {
                    List<String> values = new ArrayList<>();
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            values.add(rs.getString(i));
                        }
                    }
                    answer = String.join("|", values);
                } catch (SQLException e) {
                    error = e.getMessage();
                }
                long end = System.nanoTime();
                answers.add(new Answer(query, answer, Duration.ofNanos(end - start), error, end));
            }
        } catch (SQLException e) {
            answers.add(new Answer(query, null, Duration.ZERO, e.getMessage(), System.nanoTime()));
        }
    }

    /** Every answer so far. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** The answers of one query so far. */
    public List<Answer> answers(String query) {
        return answers.stream().filter(a -> a.query().equals(query)).toList();
    }

    /** Stops every reader after its current query. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }
    }
}
