package org.dbreplication.full;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecResult;

/** Records the items a pg_restore call just restored, with their timings, from its --verbose output. */
public class RestoreTimings {

    public void record(Exchange exchange) throws IOException {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        ExecResult result = exchange.getIn().getBody(ExecResult.class);
        if (result == null || result.getStderr() == null) {
            return;
        }
        InputStream stderr = result.getStderr();
        stderr.reset();
        List<String> lines = Arrays.stream(new String(stderr.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                .filter(l -> !l.isBlank()).toList();
        run.items().addAll(PgRestoreVerboseParser.parse(lines, Instant.now()));
    }
}
