package io.ugnos.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File and directory helpers for tests. */
public final class TestDirs {
    private TestDirs() {
    }

    /**
     * Copies a database directory while it is open: what a kill -9 would leave on disk, since every
     * acknowledged FLUSH write is in the OS. A file deleted while copying (an obsolete WAL or segment)
     * is skipped, as a crash would not have it either.
     */
    public static void copyLive(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        // a DirectoryStream, not Files.walk: walk stats every entry and fails when one vanishes meanwhile
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path p : entries) {
                Path target = to.resolve(p.getFileName().toString());
                if (Files.isDirectory(p)) {
                    copyLive(p, target);
                } else {
                    try {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    } catch (NoSuchFileException gone) {
                        // deleted while we copied
                    }
                }
            }
        }
    }

    /** XORs the byte at {@code offset} of {@code file} with {@code mask}. */
    public static void flip(Path file, long offset, int mask) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ mask);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
