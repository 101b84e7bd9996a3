package io.ugnos.bench.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Sizes and removal of benchmark directories. */
final class DiskUsage {
    private DiskUsage() {
    }

    /** The sum of the apparent sizes of all regular files under {@code dir}. */
    static long bytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (NoSuchFileException e) {
                    return 0; // deleted during the walk (a store's temporary file)
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /**
     * Bytes allocated to the files under {@code dir} as {@code du -s -B1} counts them (stores that
     * memory-map their files allocate ahead, sparsely); the apparent size when {@code du} is missing.
     */
    static long allocatedBytes(Path dir) throws IOException {
        try {
            Process p = new ProcessBuilder("du", "-s", "-B1", dir.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0) {
                return Long.parseLong(out.split("\\s+")[0]);
            }
        } catch (IOException | NumberFormatException e) {
            // no usable du: fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return bytes(dir);
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
