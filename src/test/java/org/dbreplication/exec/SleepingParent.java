package org.dbreplication.exec;

import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.exec.ExecCommand;

/** A JVM that runs {@code sleep 600} through the tool's executor, as a step runs pg_restore: for a test to kill it. */
public final class SleepingParent {

    private SleepingParent() {
    }

    public static void main(String[] args) {
        new ProcessCommandExecutor().execute(new ExecCommand("sleep", List.of("600"), null, 0L, java.util.Set.of(0), null,
                null, false, LoggingLevel.OFF));
    }
}
