package org.dbreplication.runtime;

import org.apache.camel.main.Main;

/**
 * camel-main's start on a thread of its own, for a one-off process to check its databases meanwhile
 * ({@link ReplicationRuntime#start}): {@link #await} returns once Camel has started, or throws what its start threw.
 */
final class CamelStart {

    private final Main main;
    private final Thread thread;
    private volatile Throwable failure;

    private CamelStart(Main main) {
        this.main = main;
        this.thread = new Thread(this::start, "camel-start");
    }

    static CamelStart begin(Main main) {
        CamelStart start = new CamelStart(main);
        start.thread.start();
        return start;
    }

    private void start() {
        try {
            main.start();
        } catch (Exception | Error e) {
            failure = e;
        }
    }

    /**
     * Waits for Camel's start to end.
     *
     * @throws Exception what Camel's start threw (the routes' errors: a YAML file that does not parse, a bean
     *                   method that does not exist…)
     */
    void await() throws Exception {
        thread.join();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** After {@code cause} failed the process's start: waits for Camel's start, then stops it; its errors are added to {@code cause}. */
    void stopQuietly(Throwable cause) {
        try {
            await();
            main.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
