package io.ugnos.engine.manifest;

import io.ugnos.engine.CorruptionException;
import io.ugnos.engine.StorageException;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.AtomicFiles;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.FileFormat;
import io.ugnos.engine.format.FormatException;
import io.ugnos.engine.format.RecordLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The manifest: an append-only log of {@link VersionEdit}s (as LevelDB's MANIFEST), named by the
 * {@code CURRENT} file, which is replaced atomically.
 *
 * <pre>
 * CURRENT          "MANIFEST-000042\n" (ASCII), installed by temp file + fsync + rename + directory fsync
 * MANIFEST-nnnnnn  FileFormat header (kind "MANI"), then RecordLog records whose payload is a VersionEdit
 *                  The first record is a snapshot of the whole state.
 * </pre>
 * An edit is durable once its record is written and fsynced. A crash mid-append leaves a torn record
 * at the tail (a short record, or a bad payload checksum on the very last record), which replay
 * drops: the state is then the one before that edit. The header checksum keeps a damaged length
 * from passing for a torn tail: a bad record with bytes after it is corruption and is reported,
 * never skipped. When the log grows past
 * {@link #CHECKPOINT_BYTES}, a new file starting with a snapshot replaces it through CURRENT.
 */
public final class ManifestLog implements AutoCloseable {
    public static final String KIND = "MANI";
    public static final int VERSION = 1;
    public static final String CURRENT = "CURRENT";
    static final long CHECKPOINT_BYTES = 4 << 20;

    /** Set when a switch of manifest files left CURRENT unreadable: no edit may go to either file. */
    private StorageException unusable;
    private final Path dir;
    private final ManifestState state;
    private Path file;
    private long number;
    private FileChannel ch;
    private long size;
    private final EncodeBuffer buf = new EncodeBuffer(4096);
    /** Bytes cut from a torn tail at open, for the open event. */
    private long tornBytes;

    private final long checkpointBytes;

    private ManifestLog(Path dir, ManifestState state, long checkpointBytes) {
        this.dir = dir;
        this.state = state;
        this.checkpointBytes = checkpointBytes;
    }

    /** Opens the manifest of {@code dir}, replaying it into {@code state}; creates one when the directory has none. */
    public static ManifestLog open(Path dir, ManifestState state) {
        return open(dir, state, CHECKPOINT_BYTES);
    }

    /** As {@link #open(Path, ManifestState)}, checkpointing once the file exceeds {@code checkpointBytes} (tests). */
    static ManifestLog open(Path dir, ManifestState state, long checkpointBytes) {
        ManifestLog log = new ManifestLog(dir, state, checkpointBytes);
        Path current = dir.resolve(CURRENT);
        String name;
        try {
            name = Files.readString(current, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            log.startNewFile(1);
            return log;
        } catch (IOException e) {
            throw StorageException.of("read", current, e);
        }
        if (!name.matches("MANIFEST-\\d{6,}")) {
            throw new CorruptionException(current, 0, "CURRENT names '" + name + "', not a manifest file");
        }
        log.number = Long.parseLong(name.substring("MANIFEST-".length()));
        log.file = dir.resolve(name);
        log.replay();
        return log;
    }

    private void replay() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptionException(file, -1, "CURRENT names this manifest but it does not exist");
        } catch (IOException e) {
            throw StorageException.of("read", file, e);
        }
        byte[] header = java.util.Arrays.copyOf(bytes, Math.min(bytes.length, FileFormat.HEADER_BYTES));
        FileFormat.checkHeader(file, header, KIND, VERSION);
        RecordLog.Scan scan = RecordLog.scan(file, "manifest", bytes, FileFormat.HEADER_BYTES, (buf, off, len, at) -> {
            VersionEdit edit;
            try {
                ByteReader in = new ByteReader(buf, off, off + len);
                edit = VersionEdit.decode(in);
                if (in.remaining() != 0) {
                    throw new FormatException(in.remaining() + " trailing bytes in the record");
                }
            } catch (FormatException e) {
                throw new CorruptionException(file, at, "manifest record cannot be decoded: " + e.getMessage());
            }
            try {
                state.apply(edit);
            } catch (IllegalStateException e) {
                throw new CorruptionException(file, at, "manifest record is inconsistent: " + e.getMessage());
            }
        });
        if (scan.records() == 0) {
            throw new CorruptionException(file, FileFormat.HEADER_BYTES, "manifest holds no complete record");
        }
        tornBytes = scan.tornBytes();
        int pos = scan.end();
        try {
            ch = FileChannel.open(file, StandardOpenOption.WRITE);
            if (tornBytes > 0) {
                ch.truncate(pos);
                ch.force(true);
            }
            ch.position(pos);
        } catch (IOException e) {
            throw StorageException.of("open for append", file, e);
        }
        size = pos;
    }

    /** Appends {@code edit} durably, applies it to the state, and checkpoints when the log is large. */
    public synchronized void append(VersionEdit edit) {
        if (unusable != null) {
            throw new StorageException(file, "the manifest cannot take more edits: switching to a new manifest file failed"
                    + " in a way that left CURRENT unreadable (" + unusable.getMessage() + "); close and reopen the database,"
                    + " which finds the manifest CURRENT names", unusable);
        }
        buf.clear();
        encodeRecord(edit, buf);
        try {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(buf.array(), 0, buf.size()));
            ch.force(false);
        } catch (IOException e) {
            // the record may be partly on disk: cut it off so that the log stays well-formed
            try {
                ch.truncate(size);
                ch.position(size);
            } catch (IOException ignored) {
                // a torn tail is dropped at the next open in any case
            }
            throw StorageException.of("append to manifest", file, e);
        }
        size += buf.size();
        state.apply(edit);
        if (size > checkpointBytes) {
            try {
                checkpoint();
            } catch (StorageException e) {
                // The edit is durable in the current file, which stays in use: reporting a failure here
                // would make the caller undo an edit that is already on disk (and delete the segments it
                // installed). The checkpoint is retried at the next append, once there is space for it.
            }
        }
    }

    private static void encodeRecord(VersionEdit edit, EncodeBuffer out) {
        int start = RecordLog.begin(out);
        edit.encode(out);
        RecordLog.end(out, start);
    }

    /** Starts a new manifest file holding a snapshot of the state, and points CURRENT at it. */
    public synchronized void checkpoint() {
        Path old = file;
        FileChannel oldCh = ch;
        startNewFile(number + 1);
        if (oldCh != null) {
            try {
                oldCh.close();
            } catch (IOException ignored) {
                // the old manifest is deleted next
            }
            AtomicFiles.deleteQuietly(old);
        }
    }

    private void startNewFile(long n) {
        Path f = dir.resolve(String.format("MANIFEST-%06d", n));
        EncodeBuffer out = new EncodeBuffer(1 << 16);
        FileFormat.writeHeader(out, KIND, VERSION);
        encodeRecord(state.snapshot(), out);
        AtomicFiles.write(f, out.array(), out.size());
        // opened before CURRENT names it: once CURRENT is switched, nothing may fail and leave edits going to the old file
        FileChannel next;
        try {
            next = FileChannel.open(f, StandardOpenOption.WRITE);
            next.position(out.size());
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(f);
            throw StorageException.of("open for append", f, e);
        }
        byte[] cur = (f.getFileName() + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            AtomicFiles.write(dir.resolve(CURRENT), cur, cur.length);
        } catch (StorageException e) {
            Boolean names = currentNames(f);
            if (names == null) {
                // CURRENT cannot be read: it may name either file, so neither may be deleted or appended to
                closeQuietly(next);
                unusable = e;
                throw e;
            }
            if (!names) {
                // CURRENT still names the old file, which stays in use: the new one is an orphan taking space
                closeQuietly(next);
                AtomicFiles.deleteQuietly(f);
                throw e;
            }
            // renamed into place, only the directory fsync failed: the new file is the manifest now
        }
        ch = next;
        file = f;
        number = n;
        size = out.size();
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing was written through it after the snapshot
        }
    }

    /** Whether CURRENT names {@code f}; null when CURRENT cannot be read. */
    private Boolean currentNames(Path f) {
        try {
            return Files.readString(dir.resolve(CURRENT), StandardCharsets.US_ASCII).trim().equals(f.getFileName().toString());
        } catch (IOException e) {
            return null;
        }
    }

    public Path file() {
        return file;
    }

    public long tornBytes() {
        return tornBytes;
    }

    @Override
    public synchronized void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // every edit was fsynced when appended
        }
    }
}
