package org.dbreplication.full;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dbreplication.exec.ProcessCommandExecutor;

/**
 * Turns pg_restore's {@code --verbose} stderr, each line prefixed with its arrival time by
 * {@link ProcessCommandExecutor}, into item timings. In parallel mode items come as "launching item N DESC tag" /
 * "finished item N DESC tag" pairs; in serial mode an item runs from its "processing item" or "creating" line to the
 * next one.
 */
public final class PgRestoreVerboseParser {

    private static final Pattern LAUNCHING = Pattern.compile("pg_restore: launching item (\\d+) (.*)$");
    private static final Pattern FINISHED = Pattern.compile("pg_restore: finished item (\\d+) (.*)$");
    private static final Pattern PROCESSING = Pattern.compile("pg_restore: processing item (\\d+) (.*)$");
    private static final Pattern CREATING = Pattern.compile("pg_restore: (?:creating|executing) (.*)$");
    private static final Pattern SERIAL_END = Pattern.compile("pg_restore: (entering main parallel loop|finished main parallel loop)");

    private PgRestoreVerboseParser() {
    }

    public static List<RestoreItem> parse(List<String> timestampedLines, Instant processEnd) {
        List<RestoreItem> items = new ArrayList<>();
        Map<String, Instant> launched = new HashMap<>();
        String open = null;
        Instant openedAt = null;
        boolean sawProcessing = false;
        for (String raw : timestampedLines) {
            Instant at = Instant.ofEpochMilli(ProcessCommandExecutor.timestampOf(raw));
            String line = ProcessCommandExecutor.withoutTimestamp(raw);
            Matcher m;
            if ((m = LAUNCHING.matcher(line)).find()) {
                launched.put(m.group(1), at);
            } else if ((m = FINISHED.matcher(line)).find()) {
                Instant start = launched.remove(m.group(1));
                if (start != null) {
                    items.add(item(m.group(2), start, at));
                }
            } else if ((m = PROCESSING.matcher(line)).find()) {
                sawProcessing = true;
                if (open != null) {
                    items.add(item(open, openedAt, at));
                }
                open = m.group(2);
                openedAt = at;
            } else if (SERIAL_END.matcher(line).find()) {
                if (open != null) {
                    items.add(item(open, openedAt, at));
                }
                open = null;
            } else if (!sawProcessing && (m = CREATING.matcher(line)).find()) {
                if (open != null) {
                    items.add(item(open, openedAt, at));
                }
                open = unquoteCreating(m.group(1));
                openedAt = at;
            }
        }
        if (open != null) {
            items.add(item(open, openedAt, processEnd));
        }
        return items;
    }

    /** {@code INDEX "public.a_idx"} → {@code INDEX public.a_idx}. */
    private static String unquoteCreating(String text) {
        int quote = text.indexOf(" \"");
        if (quote < 0 || !text.endsWith("\"")) {
            return text;
        }
        return text.substring(0, quote) + " " + text.substring(quote + 2, text.length() - 1);
    }

    /** Splits "FK CONSTRAINT public child child_fkey" into its category and name. */
    private static RestoreItem item(String descAndName, Instant start, Instant end) {
        String category = TocEntry.parse("0; 0 0 " + descAndName).map(TocEntry::desc).orElse("OTHER");
        String name = descAndName.length() > category.length() ? descAndName.substring(category.length()).strip() : "";
        return new RestoreItem(category, name, start, end, -1);
    }
}
