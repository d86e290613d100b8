package org.dbreplication.full;

/** The backup to restore cannot be obtained or is not usable; the target was not touched. */
public class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }
}
