package io.ugnos.engine;

import java.nio.file.Path;

/**
 * A file of the database does not hold what its format promises: a bad magic number, a checksum
 * mismatch, a truncated body. Carries the file and the byte offset so that an operator can find it.
 */
public final class CorruptionException extends UgnosException {
    private final Path file;
    private final long offset;
    private final String what;

    public CorruptionException(Path file, long offset, String what) {
        super(message(file, offset, what));
        this.file = file;
        this.offset = offset;
        this.what = what;
    }

    public CorruptionException(Path file, long offset, String what, Throwable cause) {
        super(message(file, offset, what), cause);
        this.file = file;
        this.offset = offset;
        this.what = what;
    }

    private static String message(Path file, long offset, String what) {
        return "corrupt file " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + what
                + "; the file was not modified. Restore it from a backup, or move it aside to serve the rest";
    }

    public Path file() {
        return file;
    }

    /** What is wrong with the file, without the file name and advice of {@link #getMessage()}. */
    public String what() {
        return what;
    }

    /** Byte offset of the damaged structure, or -1 when it concerns the file as a whole. */
    public long offset() {
        return offset;
    }
}
