package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.segment.SegmentFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Flips bytes in and truncates every kind of file, and expects a {@link CorruptionException} that
 * names the file, never garbage results and never another exception type.
 */
class CorruptionTest {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("ugnos-corrupt");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(100).withBackgroundCompaction(false))) {
            for (int batch = 0; batch < 2; batch++) {
                WriteBatch b = new WriteBatch();
                for (int h = 0; h < 3; h++) {
                    WriteBatch.Run r = b.run("cpu", TagSet.of("host", "h" + h));
                    for (int i = 0; i < 500; i++) {
                        r.add(batch * 5_000_000_000_000L + i * 10_000_000_000L, i % 17 + h * 0.5);
                    }
                }
                db.write(b);
                db.flush(); // a segment and a manifest edit per batch
            }
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        DatabaseModelTest.deleteRecursively(dir);
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            return s.filter(p -> p.toString().endsWith(SegmentFormat.SUFFIX)).sorted().findFirst().orElseThrow();
        }
    }

    private Path manifestFile() throws IOException {
        return dir.resolve(Files.readString(dir.resolve("CURRENT")).trim());
    }

    /** Opens the database and reads everything; returns normally only if all of it is intact. */
    private void openAndReadAll() {
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            long n = 0;
            try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
                while (c.next()) {
                    n += c.batch().size();
                }
            }
            db.aggregate(new AggregateRequest("cpu", TimeRange.ALL, TagPredicate.ALL, 0, 0, Set.of(AggFn.SUM), List.of()));
            assertThat(n).isEqualTo(3000);
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        TestDirs.flip(file, offset, 0x5A);
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    private void expectCorruptionNaming(Path file) {
        assertThatThrownBy(this::openAndReadAll)
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(file.getFileName().toString())
                .satisfies(e -> assertThat(((CorruptionException) e).file().getFileName()).isEqualTo(file.getFileName()));
    }

    @Test
    void intactDatabaseReadsBack() {
        openAndReadAll();
    }

    @Test
    void everyFlippedByteOfASegmentIsDetected() throws IOException {
        Path seg = onlySegment();
        byte[] original = Files.readAllBytes(seg);
        // every byte of small structures, a sample of the data region
        for (long off = 0; off < original.length; off += off < 64 || off > original.length - 600 ? 1 : 7) {
            Files.write(seg, original);
            flip(seg, off);
            try {
                openAndReadAll();
                fail("flipped byte at offset " + off + " of " + original.length + " went unnoticed");
            } catch (CorruptionException e) {
                assertThat(e.file().getFileName()).isEqualTo(seg.getFileName());
                assertThat(e.getMessage()).contains(seg.getFileName().toString());
            }
        }
        Files.write(seg, original);
        openAndReadAll();
    }

    @Test
    void everyTruncationOfASegmentIsDetected() throws IOException {
        Path seg = onlySegment();
        byte[] original = Files.readAllBytes(seg);
        for (long len = 0; len < original.length; len += len < 64 || len > original.length - 100 ? 1 : 97) {
            Files.write(seg, original);
            truncate(seg, len);
            expectCorruptionNaming(seg);
        }
    }

    /** Offset where the manifest's last record starts (records: u32 length, two u32 checksums, payload). */
    private static int lastRecordStart(byte[] m) {
        int pos = 16;
        int last = pos;
        while (pos < m.length) {
            last = pos;
            int len = (m[pos] & 0xFF) | (m[pos + 1] & 0xFF) << 8 | (m[pos + 2] & 0xFF) << 16 | (m[pos + 3] & 0xFF) << 24;
            pos += 12 + len;
        }
        return last;
    }

    @Test
    void flippedByteInManifestIsDetected() throws IOException {
        Path m = manifestFile();
        byte[] original = Files.readAllBytes(m);
        // damage to the last record looks exactly like an append torn by a crash; every earlier byte is covered
        int end = lastRecordStart(original);
        assertThat(end).as("the manifest has records before its last").isGreaterThan(100);
        for (long off = 0; off < end; off++) {
            Files.write(m, original);
            flip(m, off);
            expectCorruptionNaming(m);
        }
    }

    /**
     * What a kill leaves behind: a copy of a live directory (every acknowledged write is in the OS),
     * with a manifest edit torn half-way through its append. The torn record is cut off; the flushed
     * batch comes from its segment and the unflushed one from the write-ahead log.
     */
    @Test
    void tornManifestTailIsCutOffAndNothingAcknowledgedIsLost() throws IOException {
        Path live = Files.createTempDirectory("ugnos-live");
        Path crashed = Files.createTempDirectory("ugnos-crashed");
        try {
            try (Database db = Database.open(live, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
                db.write(new WriteBatch().add("cpu", TagSet.of("host", "a"), 1, 1.0).add("cpu", TagSet.of("host", "a"), 2, 2.0));
                db.flush();
                db.write(new WriteBatch().add("cpu", TagSet.of("host", "b"), 3, 3.0), Durability.FLUSH);
                TestDirs.copyLive(live, crashed);
            }
            Path manifest = crashed.resolve(Files.readString(crashed.resolve("CURRENT")).trim());
            Files.write(manifest, new byte[]{40, 0, 0, 0, 9, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
            try (Database db = Database.open(crashed, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
                long n = 0;
                try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
                    while (c.next()) {
                        n += c.batch().size();
                    }
                }
                assertThat(n).isEqualTo(3);
                assertThat(db.stats().get("wal_records_replayed")).isEqualTo(1);
            }
        } finally {
            DatabaseModelTest.deleteRecursively(live);
            DatabaseModelTest.deleteRecursively(crashed);
        }
    }

    @Test
    void truncatedManifestHeaderIsDetected() throws IOException {
        Path m = manifestFile();
        for (long len = 0; len < 16; len++) {
            truncate(m, len);
            expectCorruptionNaming(m);
        }
    }

    @Test
    void currentPointingNowhereIsDetected() throws IOException {
        Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");
        assertThatThrownBy(this::openAndReadAll).isInstanceOf(CorruptionException.class).hasMessageContaining("MANIFEST-999999");
        Files.writeString(dir.resolve("CURRENT"), "garbage\n");
        assertThatThrownBy(this::openAndReadAll).isInstanceOf(CorruptionException.class).hasMessageContaining("CURRENT");
    }

    @Test
    void missingSegmentFileIsReported() throws IOException {
        Path seg = onlySegment();
        Files.delete(seg);
        assertThatThrownBy(this::openAndReadAll).isInstanceOf(StorageException.class).hasMessageContaining(seg.getFileName().toString());
    }
}
