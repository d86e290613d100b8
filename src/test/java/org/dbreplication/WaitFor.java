package org.dbreplication;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a state with a deadline, checking it every 20 ms: never a guessed delay. */
public final class WaitFor {

    private WaitFor() {
    }

    /** @throws AssertionError naming {@code state} when it is not reached within {@code deadline} */
    public static void until(String state, Duration deadline, BooleanSupplier reached) throws InterruptedException {
        Instant end = Instant.now().plus(deadline);
        while (!reached.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not reached within " + deadline.toSeconds() + " s: " + state);
            }
            Thread.sleep(20);
        }
    }
}
