package io.ugnos.engine;

import java.io.IOException;
import java.nio.file.Path;

/** An I/O operation on a database file failed (disk full, permission denied, ...). */
public final class StorageException extends UgnosException {
    private final Path file;

    public StorageException(String action, Path file, IOException cause) {
        super("could not " + action + " " + file + ": " + describe(cause), cause);
        this.file = file;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (m != null && m.contains("No space left on device")) {
            return "no space left on device; free disk space and retry (acknowledged data is intact)";
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    public Path file() {
        return file;
    }
}
