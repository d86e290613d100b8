package org.dbreplication.full;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fails early, with the sizes, when the work directory lacks the room a download or an extraction needs. */
final class DiskSpace {

    private static final long MARGIN = 64L << 20;

    private DiskSpace() {
    }

    static void require(Path directory, long bytes, String what) throws IOException {
        long free = Files.getFileStore(directory).getUsableSpace();
        if (bytes + MARGIN > free) {
            throw new BackupException("not enough free space in WORK_DIR (" + directory + ") for " + what + ": "
                    + megabytes(bytes + MARGIN) + " needed, " + megabytes(free) + " free");
        }
    }

    private static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }
}
