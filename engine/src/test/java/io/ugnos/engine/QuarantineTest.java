package io.ugnos.engine;

import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.segment.SegmentFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A segment whose footer or index is damaged fails the open, naming the file, unless the database
 * is opened with {@link DatabaseOptions#quarantineCorruptSegments()}: then the segment is moved to
 * {@code quarantine/}, stays out after a restart, and every other segment's points are served exactly.
 */
class QuarantineTest {
    private static final long SECOND = 1_000_000_000L;
    private static final DatabaseOptions OPTIONS = DatabaseOptions.defaults().withBlockPoints(50).withBackgroundCompaction(false);

    @TempDir
    Path dir;

    /** Three segments, one per flush; segment k holds timestamps [k*1000 s, k*1000 s + 300 s) of two hosts. */
    @BeforeEach
    void setUp() {
        try (Database db = Database.open(dir, OPTIONS)) {
            for (int k = 0; k < 3; k++) {
                WriteBatch b = new WriteBatch();
                for (int h = 0; h < 2; h++) {
                    for (int i = 0; i < 300; i++) {
                        b.add("cpu", TagSet.of("host", "h" + h), (k * 1000L + i) * SECOND, value(k, h, i));
                    }
                }
                db.write(b);
                db.flush();
            }
            assertThat(db.segments()).hasSize(3);
        }
    }

    private static double value(int k, int h, int i) {
        return k * 10_000 + h * 1_000 + i * 0.25;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(Database.SEGMENTS_DIR))) {
            return s.filter(p -> p.toString().endsWith(SegmentFormat.SUFFIX)).sorted().toList();
        }
    }

    /** Every point the database serves, keyed by host and timestamp. */
    private static TreeMap<String, Double> readAll(Database db) {
        TreeMap<String, Double> points = new TreeMap<>();
        try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
            while (c.next()) {
                String host = c.tagSet(c.batch().tagSetId()).get("host");
                for (int i = 0; i < c.batch().size(); i++) {
                    points.put(host + "@" + c.batch().timestamps()[i], c.batch().values()[i]);
                }
            }
        }
        return points;
    }

    private static TreeMap<String, Double> expectedWithout(int lostSegment) {
        TreeMap<String, Double> points = new TreeMap<>();
        for (int k = 0; k < 3; k++) {
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 300 && k != lostSegment; i++) {
                    points.put("h" + h + "@" + (k * 1000L + i) * SECOND, value(k, h, i));
                }
            }
        }
        return points;
    }

    @Test
    void aDamagedFooterFailsTheOpenNamingTheFileAndQuarantineSetsItAside() throws IOException {
        Path damaged = segmentFiles().get(1);
        TestDirs.flip(damaged, Files.size(damaged) - SegmentFormat.FOOTER_BYTES + 3, 0x10); // inside the index offset
        expectQuarantined(damaged, 1);
    }

    @Test
    void aDamagedIndexIsQuarantinedToo() throws IOException {
        Path damaged = segmentFiles().get(0);
        // the index ends where the footer begins
        TestDirs.flip(damaged, Files.size(damaged) - SegmentFormat.FOOTER_BYTES - 5, 0x04);
        expectQuarantined(damaged, 0);
    }

    private void expectQuarantined(Path damaged, int segment) throws IOException {
        assertThatThrownBy(() -> Database.open(dir, OPTIONS))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(damaged.toString())
                .hasMessageContaining("open with quarantine=true")
                .hasMessageContaining("ugnos check")
                .satisfies(e -> assertThat(((CorruptionException) e).file()).isEqualTo(damaged));
        assertThat(damaged).exists(); // a failed open changes nothing

        try (Database db = Database.open(dir, OPTIONS.withQuarantineCorruptSegments(true))) {
            assertThat(db.stats().get("segments_quarantined")).isEqualTo(1);
            assertThat(db.segments()).hasSize(2);
            assertThat(readAll(db)).isEqualTo(expectedWithout(segment));
        }
        assertThat(damaged).doesNotExist();
        assertThat(dir.resolve(Database.QUARANTINE_DIR).resolve(damaged.getFileName())).exists();

        try (Database db = Database.open(dir, OPTIONS)) { // the manifest edit keeps it out
            assertThat(db.stats().get("segments_quarantined")).isZero();
            assertThat(readAll(db)).isEqualTo(expectedWithout(segment));
        }
    }

    @Test
    void anIntactDatabaseOpensWithQuarantineUnchanged() {
        try (Database db = Database.open(dir, OPTIONS.withQuarantineCorruptSegments(true))) {
            assertThat(db.stats().get("segments_quarantined")).isZero();
            assertThat(readAll(db)).isEqualTo(expectedWithout(-1));
        }
        assertThat(dir.resolve(Database.QUARANTINE_DIR)).doesNotExist();
    }

    @Test
    void aDamagedBlockFailsTheQueryThatReadsIt() throws IOException {
        Path damaged = segmentFiles().get(2);
        TestDirs.flip(damaged, 16 + 20, 0x01); // inside the first block: only its CRC, checked at read, covers it
        try (Database db = Database.open(dir, OPTIONS.withQuarantineCorruptSegments(true))) {
            assertThatThrownBy(() -> readAll(db)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(damaged.toString());
        }
    }
}
