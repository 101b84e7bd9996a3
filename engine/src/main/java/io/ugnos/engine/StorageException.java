package io.ugnos.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An I/O operation on a database file failed (permission denied, a failing disk, ...). A full disk
 * is the subtype {@link DiskFullException}; create instances with {@link #of} so that it is chosen.
 */
public class StorageException extends UgnosException {
    private final Path file;

    public StorageException(String action, Path file, IOException cause) {
        this(file, "could not " + action + " " + file + ": " + describe(cause), cause);
    }

    /** A storage failure on {@code file} described by {@code message} (which should say what to do). */
    public StorageException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /**
     * The exception for {@code action} on {@code file} failing with {@code cause}: a
     * {@link DiskFullException} when the file system is out of space, else a plain storage error.
     *
     * <pre>{@code
     * catch (IOException e) { throw StorageException.of("append to", walFile, e); }
     * }</pre>
     */
    public static StorageException of(String action, Path file, IOException cause) {
        return DiskFullException.isOutOfSpace(cause) || noSpaceLeft(file)
                ? new DiskFullException(action, file, cause)
                : new StorageException(action, file, cause);
    }

    /** Below this many usable bytes, a failed write is taken for a full disk. */
    private static final long NEARLY_FULL_BYTES = 64 << 10;

    /**
     * Whether the file system holding {@code file} has (almost) no usable space left: the check for
     * when the operating system's message is not in English (the JVM passes on a localised strerror).
     */
    private static boolean noSpaceLeft(Path file) {
        try {
            Path p = file == null ? null : file.toAbsolutePath();
            while (p != null && !java.nio.file.Files.exists(p)) {
                p = p.getParent();
            }
            return p != null && java.nio.file.Files.getFileStore(p).getUsableSpace() < NEARLY_FULL_BYTES;
        } catch (IOException | RuntimeException e) {
            return false; // cannot tell: report the error as it is
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The file the failed operation concerned. */
    public Path file() {
        return file;
    }
}
