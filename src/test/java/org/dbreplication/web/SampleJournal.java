package org.dbreplication.web;

import org.dbreplication.Db;
import org.dbreplication.pg.DatabaseUrl;

/**
 * A journal as three nights leave it, written row by row (a real run would take minutes): run 1 succeeded with the
 * four steps, run 2 failed in learning-content after two attempts (its error stored masked, as the journal does),
 * run 3 is running its full step. Times are relative to now() so that the page's "last 30 runs" keep them; whole
 * seconds so that the durations the page draws are exact.
 */
final class SampleJournal {

    static final String PLAN = "full → incremental → learning-content → notification";
    static final String MASKED_ERROR = "learning-content: https://lcms.example.org/api/releases/latest answered 401"
            + " Unauthorized with LCMS_API_KEY=***";
    static final String RUNNING_HOST = "worker-1:4242";

    private SampleJournal() {
    }

    /** Writes the three runs in the journal of {@code target} (migrated already). */
    static void write(DatabaseUrl target) {
        Db.execute(target, """
                SET search_path = replication;
                INSERT INTO runs (id, trigger, plan, status, started_at, ended_at, error, host) VALUES
                  (1, 'schedule', '%1$s', 'succeeded', now() - interval '2 days', now() - interval '2 days' + interval '400 s', NULL, 'web-1:11'),
                  (2, 'schedule', '%1$s', 'failed', now() - interval '1 day', now() - interval '1 day' + interval '330 s', '%2$s', 'web-1:12'),
                  (3, 'cli', 'full', 'running', now() - interval '5 min', NULL, NULL, '%3$s');
                INSERT INTO step_attempts (run_id, step, attempt, status, started_at, ended_at, error)
                SELECT a.run_id, a.step, a.attempt, a.status, r.started_at + make_interval(secs => a.s), r.started_at + make_interval(secs => a.e), a.error
                FROM (VALUES (1, 'full', 1, 'succeeded', 0, 300, NULL), (1, 'incremental', 1, 'succeeded', 300, 360, NULL),
                             (1, 'learning-content', 1, 'succeeded', 360, 390, NULL), (1, 'notification', 1, 'succeeded', 390, 392, NULL),
                             (2, 'full', 1, 'succeeded', 0, 240, NULL), (2, 'incremental', 1, 'succeeded', 240, 300, NULL),
                             (2, 'learning-content', 1, 'failed', 300, 310, '%2$s'), (2, 'learning-content', 2, 'failed', 315, 320, '%2$s'))
                     AS a (run_id, step, attempt, status, s, e, error) JOIN runs r ON r.id = a.run_id;
                -- the full step running: no end yet
                INSERT INTO step_attempts (run_id, step, attempt, status, started_at) SELECT 3, 'full', 1, 'running', started_at FROM runs WHERE id = 3;
                -- run 2's full step, 10 s after the run began, on two workers (lanes)
                INSERT INTO restore_items (run_id, category, name, started_at, ended_at, rows)
                SELECT 2, i.category, i.name, r.started_at + make_interval(secs => 10 + i.s), r.started_at + make_interval(secs => 10 + i.e), i.n
                FROM (VALUES ('TABLE DATA', 'public.answers', 0, 40, 900), ('TABLE DATA', 'public.users', 0, 10, 120),
                             ('TABLE DATA', 'public.knowledge-elements', 10, 30, 640), ('INDEX', 'public.answers_pkey', 30, 35, NULL),
                             ('INDEX', 'public.knowledge_elements_user_idx', 35, 45, NULL), ('CONSTRAINT', 'public.users users_pkey', 40, 42, NULL),
                             ('FK CONSTRAINT', 'public.answers answers_user_fkey', 45, 50, NULL))
                     AS i (category, name, s, e, n) JOIN runs r ON r.id = 2;
                INSERT INTO incremental_results (run_id, table_name, rows, duration_ms) VALUES
                  (1, 'answers', 1500, 2100), (1, 'knowledge-elements', 9000, 5200), (2, 'answers', 250, 400), (2, 'knowledge-elements', 400, 700);
                INSERT INTO progress_items (run_id, step, item, unit, state, done, total, started_at, updated_at) VALUES
                  (3, 'full', 'table copies', 'tables', 'running', 4, 11, now() - interval '60 s', now()),
                  (3, 'full', 'rows', 'rows', 'running', 650, 1660, now() - interval '60 s', now()),
                  (3, 'full', 'index builds', 'items', 'running', 0, 9, now() - interval '60 s', now());
                """.formatted(PLAN, MASKED_ERROR, RUNNING_HOST));
    }
}
