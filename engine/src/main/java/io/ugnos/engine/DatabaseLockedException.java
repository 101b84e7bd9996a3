package io.ugnos.engine;

import java.nio.file.Path;

/** The database directory is already open in another process (or elsewhere in this one). */
public final class DatabaseLockedException extends UgnosException {
    public DatabaseLockedException(Path dir, String owner) {
        super("database " + dir + " is locked by " + owner + "; close it there first, or connect to it through its server");
    }
}
