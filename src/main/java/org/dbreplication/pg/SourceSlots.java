package org.dbreplication.pg;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * Bounds the connections the incremental step holds at once on the source (SOURCE_MAX_JOBS), whatever
 * INCREMENTAL_JOBS says: each unit of work that reads the source takes a slot for its duration.
 */
public final class SourceSlots {

    private final Semaphore slots;

    public SourceSlots(int size) {
        this.slots = new Semaphore(size, true);
    }

    public <T> T withSlot(Callable<T> work) throws Exception {
        slots.acquire();
        try {
            return work.call();
        } finally {
            slots.release();
        }
    }
}
