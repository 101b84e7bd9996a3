package io.ugnos.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write failed because the file system holding the database is full. Nothing acknowledged is
 * lost: a write that fails this way was not acknowledged (its partial log record is cut off), reads
 * keep working, and flushes and compactions leave the last durable state in place. Once space is
 * freed, writes, flushes and compactions resume without a restart.
 *
 * <pre>{@code
 * try {
 *     db.write(batch);
 * } catch (DiskFullException e) {
 *     alertOperator(e.file() + ": " + e.getMessage()); // free space, then retry the batch
 * }
 * }</pre>
 */
public final class DiskFullException extends StorageException {
    /** What the message tells the operator to do. */
    static final String ADVICE = "free space on the file system holding the database, then retry;"
            + " acknowledged writes are intact and reads keep working";

    DiskFullException(String action, Path file, IOException cause) {
        super(file, "disk full: could not " + action + " " + file + " (" + cause.getMessage() + "); " + ADVICE, cause);
    }

    /** A later operation refused because of an earlier full-disk failure {@code cause}. */
    public DiskFullException(String what, DiskFullException cause) {
        super(cause.file(), "disk full: " + what + " (" + cause.getMessage() + ")", cause);
    }

    /**
     * Whether {@code e} (or one of its causes) reports a full file system: ENOSPC ("No space left
     * on device"), EDQUOT ("Disk quota exceeded"), Windows' "not enough space on the disk", and the
     * in-memory Jimfs file system's "out of disk space". The JDK exposes no error code, only the
     * operating system's message, so the message is what can be checked.
     */
    public static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DiskFullException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("not enough space on the disk") || m.contains("out of disk space"))) {
                return true;
            }
        }
        return false;
    }
}
