package org.dbreplication.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.dbreplication.pg.TableRef;
import org.junit.jupiter.api.Test;

/** The order in which the data load's workers get their tasks (a pure unit: no server, one thread). */
class LoadSchedulerTest {

    static final TableRef ANSWERS = TableRef.publicTable("answers");
    static final TableRef USERS = TableRef.publicTable("users");

    static RestorePlan.TablePlan plan(TableRef table, long bytes, List<TocEntry> constraints, List<TocEntry> indexes) {
        return new RestorePlan.TablePlan(new SourceCatalog.SourceTable(1, table, bytes, bytes / 8192, List.of("id"), true, 10),
                constraints, indexes);
    }

    static TocEntry item(int dumpId, String desc, String name) {
        return new TocEntry(dumpId, 0, 0, desc, name, dumpId + "; 0 0 " + desc + " public " + name + " postgres");
    }

    static Enrichment.Statement statement(String name, TableRef table) {
        return new Enrichment.Statement(name, table, "CREATE INDEX x ON " + table.quoted() + " (id)");
    }

    /** What a worker is handed, as text; each task is done before the next is asked for. */
    static List<String> drain(LoadScheduler scheduler) throws InterruptedException {
        List<String> order = new ArrayList<>();
        LoadScheduler.Task task;
        while ((task = scheduler.next(true)) != null) {
            if (task instanceof LoadScheduler.CopyPart part) {
                order.add("copy " + part.table().name() + " " + part.index() + "/" + part.count());
            } else if (task instanceof LoadScheduler.PostData post) {
                order.add((post.exclusive() ? "alone " : "shared ") + post.entries().stream().map(TocEntry::label).toList());
            } else if (task instanceof LoadScheduler.EnrichmentBuild build) {
                order.add("enrichment " + build.statement().name());
            }
            scheduler.done(task);
        }
        return order;
    }

    @Test
    void aTablesEnrichmentIndexBuildsComeAfterItsRowsAndItsOwnIndexesAndConstraints() throws Exception {
        long big = 300L << 20;
        LoadScheduler scheduler = new LoadScheduler(List.of(
                plan(ANSWERS, big, List.of(item(10, "CONSTRAINT", "answers_pkey")), List.of(item(11, "INDEX", "answers_userId_index"))),
                plan(USERS, 1L << 20, List.of(item(20, "CONSTRAINT", "users_pkey")), List.of())),
                256L << 20, true, 64L << 20,
                new EnrichmentBuilds(List.of(statement("30-answers.sql", ANSWERS), statement("40-users.sql", USERS))));

        assertThat(drain(scheduler)).containsExactly(
                "copy answers 1/2", "copy answers 2/2",
                "alone [answers_pkey]", "shared [answers_userId_index]", "enrichment 30-answers.sql",
                "copy users 1/1", "alone [users_pkey]", "enrichment 40-users.sql");
    }

    @Test
    void anEnrichmentIndexBuildIsNotHandedOutBesideItsTablesConstraintButBesideItsOtherIndexBuilds() throws Exception {
        LoadScheduler scheduler = new LoadScheduler(List.of(plan(ANSWERS, 300L << 20,
                        List.of(item(10, "CONSTRAINT", "answers_pkey")), List.of(item(11, "INDEX", "answers_userId_index")))),
                1L << 30, true, 64L << 20, new EnrichmentBuilds(List.of(statement("30-answers.sql", ANSWERS))));
        LoadScheduler.Task copy = scheduler.next(true);
        scheduler.done(copy);
        LoadScheduler.Task constraint = scheduler.next(true);
        assertThat(constraint).isInstanceOf(LoadScheduler.PostData.class);

        // while the constraint holds the table, a second worker gets nothing: it waits (a state, not a delay)
        List<LoadScheduler.Task> second = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread worker = new Thread(() -> {
            try {
                second.add(scheduler.next(false));
                second.add(scheduler.next(false));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        while (worker.getState() != Thread.State.WAITING && worker.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        assertThat(second).isEmpty();
        scheduler.done(constraint);
        worker.join();

        // both shared builds of the table are handed out at once, side by side
        assertThat(second).hasSize(2);
        assertThat(second.get(0)).isInstanceOf(LoadScheduler.PostData.class);
        assertThat(second.get(1)).isInstanceOfSatisfying(LoadScheduler.EnrichmentBuild.class,
                b -> assertThat(b.statement().name()).isEqualTo("30-answers.sql"));
    }
}
