package org.dbreplication.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dbreplication.WaitFor;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed with SIGKILL (no shutdown hook runs) takes its children with it: the kernel kills them
 * (setpriv --pdeathsig), so that no pg_restore goes on altering the target while the next run starts.
 */
class ChildrenDieWithTheProcessTest {

    @Test
    void aChildOfAKilledJvmIsKilledByTheKernel() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SleepingParent.class.getName()).inheritIO().start();
        try {
            WaitFor.until("the child sleep is running", Duration.ofSeconds(60), () -> parent.descendants()
                    .anyMatch(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false)));
            List<ProcessHandle> children = parent.descendants().toList();

            parent.destroyForcibly();
            assertThat(parent.waitFor(60, TimeUnit.SECONDS)).isTrue();

            WaitFor.until("no child left", Duration.ofSeconds(30), () -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
        }
    }
}
