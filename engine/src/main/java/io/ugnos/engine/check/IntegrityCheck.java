package io.ugnos.engine.check;

import io.ugnos.engine.CorruptionException;
import io.ugnos.engine.Database;
import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.UgnosException;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.FileFormat;
import io.ugnos.engine.format.FormatException;
import io.ugnos.engine.format.RecordLog;
import io.ugnos.engine.index.Catalog;
import io.ugnos.engine.manifest.ManifestLog;
import io.ugnos.engine.manifest.ManifestState;
import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.manifest.VersionEdit;
import io.ugnos.engine.segment.DecodedBlock;
import io.ugnos.engine.segment.SegmentFormat;
import io.ugnos.engine.segment.SegmentReader;
import io.ugnos.engine.wal.WalFormat;
import io.ugnos.engine.wal.WalRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Verifies every checksum of a database directory without changing anything: the manifest named by
 * {@code CURRENT} (header and every record), every segment (header, footer, index and every block,
 * decoded) and every write-ahead log file (header and every record). Unlike opening the database, it
 * neither cuts torn tails nor deletes orphans, and it reports every problem rather than the first.
 *
 * <pre>{@code
 * IntegrityCheck.Report r = IntegrityCheck.run(Path.of("data"));
 * r.problems().forEach(p -> System.err.println(p));   // file, offset, what is wrong
 * }</pre>
 *
 * Run it on a database no process has open, or expect a live write-ahead log to end in a torn tail.
 */
public final class IntegrityCheck {
    /** One damaged structure: the file, the byte offset (-1: the file as a whole) and what is wrong. */
    public record Problem(Path file, long offset, String message) {
        /** The problem a {@link CorruptionException} reports, its message without the file and offset it repeats. */
        static Problem of(CorruptionException e, String context) {
            String m = e.getMessage();
            int colon = m.startsWith("corrupt file ") ? m.indexOf(": ", "corrupt file ".length() + e.file().toString().length()) : -1;
            String what = colon >= 0 ? m.substring(colon + 2) : m;
            int advice = what.indexOf("; the file was not modified");
            return new Problem(e.file(), e.offset(), context + (advice >= 0 ? what.substring(0, advice) : what));
        }

        @Override
        public String toString() {
            return file + (offset >= 0 ? " at offset " + offset : "") + ": " + message;
        }
    }

    /**
     * What was checked and what was found.
     *
     * @param segments    segment files checked
     * @param blocks      blocks read, checksummed and decoded
     * @param walFiles    write-ahead log files checked
     * @param records     manifest and write-ahead log records checked
     * @param tornBytes   bytes of torn tails in write-ahead logs (left by a crash, cut at the next open: not damage)
     * @param problems    damage found; empty when the database is intact
     */
    public record Report(int segments, long blocks, int walFiles, long records, long tornBytes, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Path dir;
    private final List<Problem> problems = new ArrayList<>();
    private int segments;
    private long blocks;
    private int walFiles;
    private long records;
    private long tornBytes;

    private IntegrityCheck(Path dir) {
        this.dir = dir;
    }

    /**
     * Checks the database in {@code dir}.
     *
     * @throws UgnosException when {@code dir} holds no database (no {@code CURRENT} file)
     */
    public static Report run(Path dir) {
        if (!Files.isRegularFile(dir.resolve(ManifestLog.CURRENT))) {
            throw new UgnosException("no database at " + dir + " (no " + ManifestLog.CURRENT + " file)");
        }
        IntegrityCheck c = new IntegrityCheck(dir);
        Map<Long, SegmentDesc> live = c.checkManifest();
        c.checkSegments(live);
        c.checkWal();
        return new Report(c.segments, c.blocks, c.walFiles, c.records, c.tornBytes, List.copyOf(c.problems));
    }

    /** Returns the segments the manifest lists (what could be read of it). */
    private Map<Long, SegmentDesc> checkManifest() {
        Path current = dir.resolve(ManifestLog.CURRENT);
        ManifestState state = new ManifestState(new Catalog());
        String name;
        try {
            name = Files.readString(current, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            problems.add(new Problem(current, -1, "cannot be read: " + e));
            return state.segments();
        }
        if (!name.matches("MANIFEST-\\d{6,}")) {
            problems.add(new Problem(current, 0, "names '" + name + "', not a manifest file"));
            return state.segments();
        }
        Path file = dir.resolve(name);
        byte[] bytes = readAll(file);
        if (bytes == null) {
            return state.segments();
        }
        try {
            FileFormat.checkHeader(file, Arrays.copyOf(bytes, Math.min(bytes.length, FileFormat.HEADER_BYTES)),
                    ManifestLog.KIND, ManifestLog.VERSION);
            RecordLog.Scan scan = RecordLog.scan(file, "manifest", bytes, FileFormat.HEADER_BYTES, (buf, off, len, at) -> {
                try {
                    ByteReader in = new ByteReader(buf, off, off + len);
                    VersionEdit edit = VersionEdit.decode(in);
                    if (in.remaining() != 0) {
                        throw new FormatException(in.remaining() + " trailing bytes in the record");
                    }
                    state.apply(edit);
                } catch (FormatException | IllegalStateException e) {
                    throw new CorruptionException(file, at, "manifest record cannot be applied: " + e.getMessage());
                }
            });
            records += scan.records();
            if (scan.tornBytes() > 0) {
                // every manifest append is fsynced before the next: a torn tail is a crash mid-append
                tornBytes += scan.tornBytes();
            }
        } catch (CorruptionException e) {
            problems.add(Problem.of(e, ""));
        }
        return state.segments();
    }

    private void checkSegments(Map<Long, SegmentDesc> live) {
        Path segDir = dir.resolve(Database.SEGMENTS_DIR);
        Map<Long, Path> files = new TreeMap<>();
        for (Path p : list(segDir)) {
            String n = p.getFileName().toString();
            if (n.endsWith(SegmentFormat.SUFFIX)) {
                try {
                    files.put(Long.parseLong(n.substring(0, n.length() - SegmentFormat.SUFFIX.length())), p);
                } catch (NumberFormatException e) {
                    // not a segment name: the next open deletes it as an orphan
                }
            }
        }
        for (long id : live.keySet()) {
            if (!files.containsKey(id)) {
                problems.add(new Problem(segDir.resolve(SegmentFormat.fileName(id)), -1,
                        "the manifest lists this segment but the file is missing"));
            }
        }
        DecodedBlock scratch = new DecodedBlock();
        for (Map.Entry<Long, Path> f : files.entrySet()) {
            segments++;
            SegmentReader reader;
            try {
                reader = SegmentReader.open(f.getValue(), f.getKey());
            } catch (CorruptionException e) {
                problems.add(Problem.of(e, ""));
                continue;
            } catch (UgnosException e) {
                problems.add(new Problem(f.getValue(), -1, e.getMessage()));
                continue;
            }
            reader.ref();
            try {
                for (int b = 0; b < reader.blocks().size(); b++) {
                    blocks++;
                    try {
                        reader.verifyBlock(b, scratch);
                    } catch (CorruptionException e) {
                        problems.add(Problem.of(e, "block " + b + ": "));
                    }
                }
            } finally {
                reader.unref(); // closes the file; a reader that is not obsolete deletes nothing
            }
        }
    }

    private void checkWal() {
        for (Path file : list(dir.resolve(WalFormat.DIR))) {
            if (!file.getFileName().toString().endsWith(WalFormat.SUFFIX)) {
                continue;
            }
            walFiles++;
            byte[] bytes = readAll(file);
            if (bytes == null) {
                continue;
            }
            if (bytes.length < FileFormat.HEADER_BYTES) {
                tornBytes += bytes.length; // created, header never written: recovery removes it
                continue;
            }
            try {
                FileFormat.checkHeader(file, Arrays.copyOf(bytes, FileFormat.HEADER_BYTES), WalFormat.KIND, WalFormat.VERSION);
                RecordLog.Scan scan = RecordLog.scan(file, "write-ahead log", bytes, FileFormat.HEADER_BYTES,
                        WalRecord::durableBefore, (buf, off, len, at) -> {
                            try {
                                ByteReader in = new ByteReader(buf, off, off + len);
                                WalRecord.decode(in, new WriteBatch());
                                if (in.remaining() != 0) {
                                    throw new FormatException(in.remaining() + " trailing bytes");
                                }
                            } catch (FormatException | InvalidInputException e) {
                                throw new CorruptionException(file, at, "write-ahead log record cannot be decoded: " + e.getMessage());
                            }
                        });
                records += scan.records();
                tornBytes += scan.tornBytes();
            } catch (CorruptionException e) {
                problems.add(Problem.of(e, ""));
            }
        }
    }

    private byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problems.add(new Problem(file, -1, "missing"));
        } catch (IOException e) {
            problems.add(new Problem(file, -1, "cannot be read: " + e));
        }
        return null;
    }

    private List<Path> list(Path d) {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(d, -1, "cannot be listed: " + e));
            return List.of();
        }
    }
}
