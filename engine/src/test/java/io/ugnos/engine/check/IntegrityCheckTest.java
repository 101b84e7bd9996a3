package io.ugnos.engine.check;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.TestDirs;
import io.ugnos.engine.UgnosException;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.ManifestLog;
import io.ugnos.engine.segment.SegmentFormat;
import io.ugnos.engine.wal.WalFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntegrityCheckTest {
    @TempDir
    Path tmp;
    Path db;

    /** A database with two segments, and a write-ahead log holding unflushed SYNC writes (a crashed copy). */
    @BeforeEach
    void makeDatabase() throws IOException {
        Path live = tmp.resolve("live");
        db = tmp.resolve("copy");
        try (Database d = Database.open(live, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            for (int seg = 0; seg < 2; seg++) {
                WriteBatch b = new WriteBatch();
                for (int i = 0; i < 5000; i++) {
                    b.add("cpu", TagSet.of("host", "h" + (i % 4)), (seg * 5000L + i) * 1_000_000_000L, i * 0.25);
                }
                d.write(b);
                d.flush();
            }
            for (int r = 0; r < 3; r++) {
                WriteBatch b = new WriteBatch();
                b.add("mem", TagSet.of("host", "h1"), r, r);
                d.write(b, Durability.SYNC);
            }
            TestDirs.copyLive(live, db);
        }
    }

    private List<Path> files(String sub, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(db.resolve(sub))) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private Path manifest() throws IOException {
        return db.resolve(Files.readString(db.resolve(ManifestLog.CURRENT), StandardCharsets.US_ASCII).trim());
    }

    @Test
    void anIntactDatabaseHasNoProblems() {
        IntegrityCheck.Report r = IntegrityCheck.run(db);
        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.segments()).isEqualTo(2);
        assertThat(r.blocks()).isGreaterThanOrEqualTo(8); // 4 tag sets in each of 2 segments
        assertThat(r.walFiles()).isPositive();
        assertThat(r.records()).isGreaterThanOrEqualTo(3 + 2);
    }

    @Test
    void aFlippedByteAnywhereInASegmentIsReportedWithItsFileAndNothingIsChanged() throws IOException {
        List<Integer> missed = unnoticed((original, off) -> {
            byte[] damaged = original.clone();
            damaged[off] ^= 0x21;
            return damaged;
        });
        assertThat(missed).as("offsets whose flipped byte went unnoticed").isEmpty();
    }

    @Test
    void aSegmentTruncatedAtAnyLengthIsReportedWithItsFile() throws IOException {
        List<Integer> missed = unnoticed((original, len) -> java.util.Arrays.copyOf(original, len));
        assertThat(missed).as("lengths whose truncation went unnoticed").isEmpty();
    }

    /**
     * Damages the first segment at every position near both ends (header, footer, index) and a sample
     * in between; returns the positions whose damage the check missed. Every problem reported must
     * name the segment, and the check must leave the damaged file as it was.
     */
    private List<Integer> unnoticed(java.util.function.BiFunction<byte[], Integer, byte[]> damage) throws IOException {
        Path seg = files(Database.SEGMENTS_DIR, SegmentFormat.SUFFIX).get(0);
        byte[] original = Files.readAllBytes(seg);
        List<Integer> missed = new ArrayList<>();
        for (int pos = 0; pos < original.length; pos += pos < 64 || pos > original.length - 400 ? 1 : 11) {
            byte[] damaged = damage.apply(original, pos);
            Files.write(seg, damaged);
            IntegrityCheck.Report r = IntegrityCheck.run(db);
            if (r.ok()) {
                missed.add(pos);
                continue;
            }
            assertThat(r.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(seg));
            assertThat(Files.readAllBytes(seg)).isEqualTo(damaged);
        }
        return missed;
    }

    @Test
    void aDamagedBlockNamesTheBlockAndItsOffset() throws IOException {
        Path seg = files(Database.SEGMENTS_DIR, SegmentFormat.SUFFIX).get(0);
        TestDirs.flip(seg, 16 + 30, 0x01); // inside the first block, which starts after the 16-byte header
        IntegrityCheck.Report r = IntegrityCheck.run(db);
        assertThat(r.problems()).hasSize(1);
        IntegrityCheck.Problem p = r.problems().get(0);
        assertThat(p.offset()).isEqualTo(16);
        assertThat(p.message()).startsWith("block 0: ").contains("checksum");
        assertThat(p.toString()).isEqualTo(seg + " at offset 16: " + p.message());
    }

    @Test
    void aFlippedManifestByteIsReported() throws IOException {
        Path m = manifest();
        TestDirs.flip(m, 16 + 12 + 3, 0x40); // inside the first record's payload
        IntegrityCheck.Report r = IntegrityCheck.run(db);
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(m);
            assertThat(p.offset()).isEqualTo(16);
        });
    }

    @Test
    void aFlippedByteInAnFsyncedWalRecordIsReported() throws IOException {
        Path log = files(WalFormat.DIR, WalFormat.SUFFIX).get(files(WalFormat.DIR, WalFormat.SUFFIX).size() - 1);
        TestDirs.flip(log, 16 + 12 + 20, 0x10);
        IntegrityCheck.Report r = IntegrityCheck.run(db);
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(log);
            assertThat(p.offset()).isEqualTo(16);
        });
    }

    @Test
    void aMissingSegmentIsReported() throws IOException {
        Path seg = files(Database.SEGMENTS_DIR, SegmentFormat.SUFFIX).get(1);
        Files.delete(seg);
        assertThat(IntegrityCheck.run(db).problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo(seg + ": the manifest lists this segment but the file is missing"));
    }

    @Test
    void aDirectoryWithoutADatabaseIsAnError() {
        assertThatThrownBy(() -> IntegrityCheck.run(tmp)).isInstanceOf(UgnosException.class).hasMessageContaining("no database");
    }
}
