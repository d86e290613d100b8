package org.dbreplication.full;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.dbreplication.pg.TableRef;

/**
 * Hands out the work of the data load to the parallel workers: table parts to copy (largest first), and each
 * table's indexes and constraints as soon as its last part is in — so that index builds overlap the copy of other
 * tables. Constraints (ALTER TABLE, exclusive lock) run alone on their table; index builds of one table may run
 * side by side. The enrichment's index builds of a table ({@link EnrichmentBuilds}) come after its own items.
 */
final class LoadScheduler {

    /** A unit of work; {@code exclusive} ones hold the table alone. */
    sealed interface Task permits CopyPart, PostData, EnrichmentBuild {
        TableRef table();
    }

    record CopyPart(RestorePlan.TablePlan plan, int index, int count, long fromPage, long toPage) implements Task {
        public TableRef table() {
            return plan.table().ref();
        }

        boolean whole() {
            return count == 1;
        }

        long bytes() {
            return plan.table().bytes() / count;
        }
    }

    record PostData(TableRef table, List<TocEntry> entries, boolean exclusive) implements Task {
    }

    /** One enrichment statement, an index build of {@code table}: shared, like the table's own index builds. */
    record EnrichmentBuild(TableRef table, Enrichment.Statement statement) implements Task {
    }

    private static final class TableState {
        final RestorePlan.TablePlan plan;
        int partsLeft;
        final Deque<PostData> exclusive = new ArrayDeque<>();
        final Deque<Task> shared = new ArrayDeque<>();
        boolean exclusiveRunning;
        int sharedRunning;

        TableState(RestorePlan.TablePlan plan) {
            this.plan = plan;
        }
    }

    private final PriorityQueue<CopyPart> copies = new PriorityQueue<>(Comparator.comparingLong(CopyPart::bytes).reversed());
    private final Map<TableRef, TableState> tables = new HashMap<>();
    private final List<TableState> readyTables = new ArrayList<>();
    private int outstanding;
    private int totalParts;
    private Exception failure;

    /** How many table parts there are to copy in all (a table not split is one part). */
    int parts() {
        return totalParts;
    }

    /**
     * @param splitBytes tables larger than this are copied in parts of about this size (ctid ranges)
     * @param canSplit   whether the source can scan ctid ranges (PostgreSQL 14 and later)
     * @param smallTableBytes tables smaller than this get all their items in one pg_restore call
     * @param enrichment      the enrichment's index builds, each run after its table's own items
     */
    LoadScheduler(List<RestorePlan.TablePlan> plans, long splitBytes, boolean canSplit, long smallTableBytes,
            EnrichmentBuilds enrichment) {
        for (RestorePlan.TablePlan plan : plans) {
            TableState state = new TableState(plan);
            tables.put(plan.table().ref(), state);
            long pages = plan.table().pages();
            int parts = canSplit && plan.table().bytes() > splitBytes && pages > 1
                    ? (int) Math.min(Math.min(64, pages), (plan.table().bytes() + splitBytes - 1) / splitBytes) : 1;
            for (int i = 0; i < parts; i++) {
                long from = pages * i / parts;
                long to = i == parts - 1 ? -1 : pages * (i + 1) / parts;
                copies.add(new CopyPart(plan, i + 1, parts, from, to));
            }
            state.partsLeft = parts;
            outstanding += parts;
            totalParts += parts;
            if (plan.table().bytes() < smallTableBytes) {
                List<TocEntry> all = new ArrayList<>(plan.constraints());
                all.addAll(plan.indexes());
                if (!all.isEmpty()) {
                    state.exclusive.add(new PostData(plan.table().ref(), all, true));
                }
            } else {
                plan.constraints().forEach(c -> state.exclusive.add(new PostData(plan.table().ref(), List.of(c), true)));
                plan.indexes().forEach(i -> state.shared.add(new PostData(plan.table().ref(), List.of(i), false)));
            }
            enrichment.of(plan.table().ref()).forEach(e -> state.shared.add(new EnrichmentBuild(plan.table().ref(), e)));
            outstanding += state.exclusive.size() + state.shared.size();
        }
    }

    /**
     * The next task, waiting while only blocked work remains; null when everything is done or a task failed.
     * A worker that may not read the source (SOURCE_MAX_JOBS) only gets index and constraint builds.
     */
    synchronized Task next(boolean mayCopy) throws InterruptedException {
        while (true) {
            if (failure != null || outstanding == 0) {
                return null;
            }
            Task post = nextPostData();
            if (post != null) {
                return post;
            }
            CopyPart copy = mayCopy ? copies.poll() : null;
            if (copy != null) {
                return copy;
            }
            wait();
        }
    }

    private Task nextPostData() {
        for (TableState state : readyTables) {
            if (state.exclusiveRunning) {
                continue;
            }
            if (!state.exclusive.isEmpty()) {
                if (state.sharedRunning == 0) {
                    state.exclusiveRunning = true;
                    return state.exclusive.poll();
                }
                continue;
            }
            if (!state.shared.isEmpty()) {
                state.sharedRunning++;
                return state.shared.poll();
            }
        }
        return null;
    }

    synchronized void done(Task task) {
        TableState state = tables.get(task.table());
        if (task instanceof CopyPart) {
            state.partsLeft--;
            if (state.partsLeft == 0) {
                readyTables.add(state);
                readyTables.sort(Comparator.comparingLong((TableState s) -> s.plan.table().bytes()).reversed());
            }
        } else if (task instanceof PostData post && post.exclusive()) {
            state.exclusiveRunning = false;
        } else {
            state.sharedRunning--;
        }
        outstanding--;
        notifyAll();
    }

    synchronized void failed(Exception e) {
        if (failure == null) {
            failure = e;
        } else {
            failure.addSuppressed(e);
        }
        notifyAll();
    }

    synchronized Exception failure() {
        return failure;
    }
}
