package org.dbreplication.full;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The table of contents of one archive, as printed by {@code pg_restore --list}. */
public record Toc(List<TocEntry> entries) {

    public static Toc read(Path listFile) {
        try {
            return new Toc(Files.readAllLines(listFile).stream().map(TocEntry::parse)
                    .flatMap(Optional::stream).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive list " + listFile, e);
        }
    }

    /** Writes a list for {@code pg_restore --use-list} holding exactly these entries. */
    public static void write(Path listFile, Collection<TocEntry> selected) {
        try {
            Files.writeString(listFile, selected.stream().map(TocEntry::line)
                    .collect(Collectors.joining("\n", "", "\n")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the restore list " + listFile, e);
        }
    }
}
