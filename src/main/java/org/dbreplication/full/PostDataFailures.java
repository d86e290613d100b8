package org.dbreplication.full;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecResult;
import org.dbreplication.config.Settings;
import org.dbreplication.exec.ToolErrors;

/**
 * After the pg_restore of the remaining post-data items, which goes on past a failing item: decides what the
 * failures mean ({@link ObjectPolicy}). A failed item that concerns a table (a constraint, an index of a
 * partitioned table, a foreign key, a policy…), an error not tied to an item (a lost connection), or any failure
 * with FULL_STRICT=true fails the step with the first one; the other failed items (a trigger, a rule, a materialized
 * view's data or index…) are left out with a warning each.
 */
public class PostDataFailures {

    private final Settings settings;

    public PostDataFailures(Settings settings) {
        this.settings = settings;
    }

    public void check(Exchange exchange) throws IOException {
        FullRun run = exchange.getProperty(FullRun.PROPERTY, FullRun.class);
        ExecResult result = exchange.getIn().getBody(ExecResult.class);
        if (result == null || result.getExitValue() == 0) {
            return;
        }
        ToolErrors errors = ToolErrors.parse("pg_restore", stderrLines(result));
        Map<Integer, TocEntry> items = run.plan().remainingPostData().stream()
                .collect(Collectors.toMap(TocEntry::dumpId, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<String> fatal = new ArrayList<>();
        List<FullRun.Warning> warnings = new ArrayList<>();
        for (ToolErrors.ToolError error : errors.errors()) {
            TocEntry item = error.item().map(i -> items.get(i.dumpId())).orElse(null);
            if (item == null) {
                fatal.add(error.message());
            } else if (settings.fullStrict() || ObjectPolicy.concernsTable(item.desc(), run.onMaterializedView(item.dumpId()))) {
                fatal.add(item.objectName() + ": " + error.message());
            } else {
                warnings.add(new FullRun.Warning(item.objectName(), error.message()));
            }
        }
        if (errors.errors().isEmpty()) {
            // pg_restore failed without a server error (a worker lost, a file unreadable): never a success
            throw new IllegalStateException(errors.summary(result.getExitValue()));
        }
        warnings.forEach(w -> run.warn(w.object(), w.error()));
        if (!fatal.isEmpty()) {
            throw new IllegalStateException("pg_restore failed (exit code " + result.getExitValue() + ") restoring "
                    + fatal.get(0) + (fatal.size() > 1 ? " (and " + (fatal.size() - 1) + " more)" : ""));
        }
    }

    private static List<String> stderrLines(ExecResult result) throws IOException {
        InputStream stderr = result.getStderr();
        if (stderr == null) {
            return List.of();
        }
        stderr.reset();
        return java.util.Arrays.stream(new String(stderr.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                .map(org.dbreplication.exec.ProcessCommandExecutor::withoutTimestamp).toList();
    }
}
