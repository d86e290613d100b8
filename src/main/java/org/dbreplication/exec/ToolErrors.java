package org.dbreplication.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The errors a PostgreSQL client tool printed on stderr: each {@code ERROR:} (or {@code error:}) line, with the
 * archive item pg_restore was processing when it says so ({@code pg_restore: from TOC entry 3254; 1259 17354 INDEX
 * items_name_idx owner}).
 */
public record ToolErrors(String tool, int exitCode, List<Error> errors, List<String> lines) {

    /** One error; {@code dumpId} is the archive item's when the tool named one. */
    public record Error(Optional<Integer> dumpId, Optional<String> item, String line) {
    }

    private static final Pattern TOC_ENTRY = Pattern.compile("from TOC entry (\\d+); \\d+ \\d+ (.*)$");
    private static final Pattern ERROR = Pattern.compile("(?:error: |ERROR: )");

    /** @param lines stderr lines, with or without {@link ProcessCommandExecutor}'s timestamp prefix */
    public static ToolErrors parse(String tool, int exitCode, List<String> lines) {
        List<String> plain = lines.stream().map(ToolErrors::plain).filter(l -> !l.isBlank()).toList();
        List<Error> errors = new ArrayList<>();
        Integer dumpId = null;
        String item = null;
        for (String line : plain) {
            Matcher toc = TOC_ENTRY.matcher(line);
            if (toc.find()) {
                dumpId = Integer.valueOf(toc.group(1));
                item = toc.group(2);
                continue;
            }
            Matcher error = ERROR.matcher(line);
            if (error.find() && !line.contains("errors ignored on restore")) {
                int server = line.indexOf("ERROR:");
                errors.add(new Error(Optional.ofNullable(dumpId), Optional.ofNullable(item),
                        server >= 0 ? line.substring(server) : line.substring(error.start() + "error: ".length())));
                dumpId = null;
                item = null;
            }
        }
        return new ToolErrors(tool, exitCode, List.copyOf(errors), plain);
    }

    /** One line for the step's error: the tool, its exit code, the first error and the item it was restoring. */
    public String summary() {
        if (errors.isEmpty()) {
            List<String> last = lines.subList(Math.max(0, lines.size() - 3), lines.size());
            return tool + " failed (exit code " + exitCode + "): " + (last.isEmpty() ? "(no error message)" : String.join(" | ", last));
        }
        Error first = errors.get(0);
        return tool + " failed (exit code " + exitCode + ")" + first.item().map(i -> " restoring " + i).orElse("") + ": "
                + first.line();
    }

    private static String plain(String line) {
        int space = line.indexOf(ProcessCommandExecutor.TIMESTAMP_SEPARATOR);
        return space > 0 && line.substring(0, space).chars().allMatch(Character::isDigit) ? line.substring(space + 1) : line;
    }
}
