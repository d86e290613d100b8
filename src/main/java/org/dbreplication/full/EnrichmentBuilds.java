package org.dbreplication.full;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dbreplication.pg.TableRef;

/**
 * The enrichment statements that join the data load ({@link Enrichment#scheduleIndexBuilds}): index builds of a
 * copied table, each run by {@link TableDataLoader} once its table's rows, indexes and constraints are in, and their
 * failures, which never stop the load: {@link Enrichment#apply} reports them with the enrichment's other errors.
 */
final class EnrichmentBuilds {

    private final Map<TableRef, List<Enrichment.Statement>> byTable = new LinkedHashMap<>();
    private final List<SQLException> failures = new CopyOnWriteArrayList<>();

    EnrichmentBuilds(List<Enrichment.Statement> statements) {
        for (Enrichment.Statement statement : statements) {
            byTable.computeIfAbsent(statement.table(), t -> new ArrayList<>()).add(statement);
        }
    }

    /** The statements to build once {@code table} is loaded, in file-name order; empty when none. */
    List<Enrichment.Statement> of(TableRef table) {
        return byTable.getOrDefault(table, List.of());
    }

    /**
     * Whether {@code statement} joins the load: the same file, compared whole (an ENRICHMENT_DIR file may be named
     * like a built-in one).
     */
    boolean contains(Enrichment.Statement statement) {
        return of(statement.table()).contains(statement);
    }

    int size() {
        return byTable.values().stream().mapToInt(List::size).sum();
    }

    /** Called by the loader's workers: {@code failure} names the statement and holds the server's ERROR: line. */
    void failed(SQLException failure) {
        failures.add(failure);
    }

    List<SQLException> failures() {
        return List.copyOf(failures);
    }
}
