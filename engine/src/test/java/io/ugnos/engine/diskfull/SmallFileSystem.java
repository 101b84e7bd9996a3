package io.ugnos.engine.diskfull;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.ugnos.engine.DiskFullException;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A file system of a few MiB that really fills up: a tmpfs mounted for the test where the machine
 * allows it (root, or a container with CAP_SYS_ADMIN), else an in-memory Jimfs with a maximum size,
 * which {@code Database.open(Path)} takes like any other. Both report a full disk the way their
 * platform does ("No space left on device", "out of disk space").
 */
public final class SmallFileSystem implements AutoCloseable {
    /** Which kind of small file system. */
    public enum Kind { TMPFS, JIMFS }

    private final Kind kind;
    private final Path mountPoint; // TMPFS
    private final FileSystem jimfs; // JIMFS
    private final Path root;

    private SmallFileSystem(Kind kind, Path mountPoint, FileSystem jimfs, Path root) {
        this.kind = kind;
        this.mountPoint = mountPoint;
        this.jimfs = jimfs;
        this.root = root;
    }

    /** A file system of {@code bytes}; the TMPFS kind aborts the test (an assumption) where mounting is not permitted. */
    public static SmallFileSystem create(Kind kind, long bytes) throws IOException, InterruptedException {
        if (kind == Kind.JIMFS) {
            FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(4096).setMaxSize(bytes).build());
            Path root = fs.getPath("/data");
            Files.createDirectories(root);
            return new SmallFileSystem(kind, null, fs, root);
        }
        Path dir = Files.createTempDirectory("ugnos-tmpfs");
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        if (out != null) {
            Files.deleteIfExists(dir);
            Assumptions.abort("cannot mount a tmpfs here (" + out.trim() + "); the Jimfs case runs the same scenario");
        }
        return new SmallFileSystem(kind, dir, null, dir.resolve("data"));
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage(); // no mount command at all
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command[0] + " timed out";
        }
        return p.exitValue() == 0 ? null : out + " (exit " + p.exitValue() + ")";
    }

    /** Where the database goes (not created). */
    public Path root() {
        return root;
    }

    public Kind kind() {
        return kind;
    }

    /** Bytes still free. */
    public long free() throws IOException {
        return Files.getFileStore(root.getParent() == null ? root : root.getParent()).getUsableSpace();
    }

    /**
     * Writes {@code file} until it is {@code max} bytes long or the disk is full (down to the last
     * byte: smaller and smaller writes), and returns its length.
     */
    public long fill(Path file, long max) throws IOException {
        long written = 0;
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int n = chunk.length; n > 0 && written < max; ) {
                int len = (int) Math.min(n, max - written);
                try {
                    out.write(chunk, 0, len);
                    out.flush();
                    written += len;
                } catch (IOException e) {
                    if (!DiskFullException.isOutOfSpace(e)) {
                        throw e;
                    }
                    n /= 2;
                }
            }
        } catch (IOException e) {
            if (!DiskFullException.isOutOfSpace(e)) { // closing may flush what did not fit
                throw e;
            }
        }
        return Files.size(file);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (jimfs != null) {
            jimfs.close();
            return;
        }
        String out = run("umount", mountPoint.toString());
        if (out != null) {
            out = run("umount", "-l", mountPoint.toString());
        }
        if (out == null) {
            Files.deleteIfExists(mountPoint);
        } else {
            throw new IOException("could not unmount the test tmpfs at " + mountPoint + ": " + out);
        }
    }

    /** Deletes a directory tree (a database left on the file system). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
