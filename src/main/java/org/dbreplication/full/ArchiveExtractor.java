package org.dbreplication.full;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Finds the PostgreSQL dump in what a backup source gave: a custom-format file (starts with PGDMP), a directory
 * dump (holds toc.dat), or a gzip'ed tar holding one of these — extracted as a stream, entries confined to the work
 * directory.
 */
final class ArchiveExtractor {

    private ArchiveExtractor() {
    }

    static Path dumpIn(Path given, Path workDirectory) throws IOException {
        if (Files.isDirectory(given)) {
            if (Files.isRegularFile(given.resolve("toc.dat"))) {
                return given;
            }
            throw new BackupException(given + " is a directory without toc.dat: not a directory-format dump");
        }
        if (!Files.isRegularFile(given)) {
            throw new BackupException("the backup " + given + " does not exist or is not readable");
        }
        byte[] head = new byte[5];
        try (InputStream in = Files.newInputStream(given)) {
            int read = in.readNBytes(head, 0, 5);
            if (read >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return extract(given, workDirectory);
            }
            if (read == 5 && new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("PGDMP")) {
                return given;
            }
        }
        throw new BackupException("the backup " + given.getFileName() + " is neither a custom-format dump (PGDMP), a"
                + " directory dump nor a .tar.gz holding one");
    }

    private static Path extract(Path tarGz, Path workDirectory) throws IOException {
        Path into = Files.createDirectories(workDirectory.resolve("extracted"));
        DiskSpace.require(workDirectory, Files.size(tarGz), "the extraction of " + tarGz.getFileName());
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tarGz), 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new BackupException("the archive " + tarGz.getFileName() + " holds a path outside its folder: "
                            + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new BackupException("the archive " + tarGz.getFileName() + " cannot be read as a .tar.gz: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(into)) {
            Path dump = files.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".pgsql")
                            || p.toString().endsWith(".dump") || p.getFileName().toString().equals("toc.dat")))
                    .findFirst().orElseThrow(() -> new BackupException("the archive " + tarGz.getFileName()
                            + " holds no PostgreSQL dump (.pgsql, .dump or a directory dump)"));
            return dump.getFileName().toString().equals("toc.dat") ? dump.getParent() : dump;
        }
    }
}
