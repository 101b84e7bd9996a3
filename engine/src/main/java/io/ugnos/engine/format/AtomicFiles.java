package io.ugnos.engine.format;

import io.ugnos.engine.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Installing files so that a crash at any moment leaves either the old or the new file: write a
 * temporary file, fsync it, rename it over the target, fsync the directory.
 */
public final class AtomicFiles {
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes {@code bytes[0..len)} to {@code target} atomically and durably. */
    public static void write(Path target, byte[] bytes, int len) {
        Path tmp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, ByteBuffer.wrap(bytes, 0, len));
            ch.force(true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StorageException.of("write", tmp, e);
        }
        install(tmp, target);
    }

    /** Renames a complete, fsynced temporary file over {@code target} and fsyncs the directory. */
    public static void install(Path tmp, Path target) {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StorageException.of("rename into place", target, e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Makes a rename or a file creation in {@code dir} durable. Only the platform file system has
     * directories that can be opened and fsynced; an in-memory file system (such as the one behind
     * {@code jdbc:ugnos:mem:}) has nothing to sync and refuses to open a directory as a channel.
     */
    public static void syncDirectory(Path dir) {
        if (dir.getFileSystem() != FileSystems.getDefault()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw StorageException.of("fsync directory", dir, e);
        }
    }

    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: an orphan is removed at the next open
        }
    }
}
