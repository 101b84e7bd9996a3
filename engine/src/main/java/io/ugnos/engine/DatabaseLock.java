package io.ugnos.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code LOCK} file: one process owns a database directory. A second opener gets an error naming
 * the owner's pid instead of silently corrupting the files.
 */
final class DatabaseLock implements AutoCloseable {
    private final FileChannel ch;
    private final FileLock lock;

    private DatabaseLock(FileChannel ch, FileLock lock) {
        this.ch = ch;
        this.lock = lock;
    }

    static DatabaseLock acquire(Path dir) {
        Path file = dir.resolve("LOCK");
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw StorageException.of("open lock file", file, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw new DatabaseLockedException(dir, "this process (it is already open here; share the open Database)");
        } catch (IOException e) {
            close(ch);
            throw StorageException.of("lock", file, e);
        }
        if (lock == null) {
            String owner;
            try {
                owner = Files.readString(file, StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                owner = "?";
            }
            close(ch);
            throw new DatabaseLockedException(dir, "pid " + (owner.isEmpty() ? "?" : owner));
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // the lock is what matters; the pid is a courtesy for the error message
        }
        return new DatabaseLock(ch, lock);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(ch);
    }
}
