package io.ugnos.engine;

import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.segment.SegmentFormat;
import io.ugnos.engine.segment.SegmentWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction copies blocks that overlap nothing verbatim instead of decoding and re-encoding them.
 * Whatever it copies, each output segment must be byte for byte the file a {@link SegmentWriter} makes
 * from the expected points (the later write of a timestamp, nothing below the retention watermark),
 * which is what re-encoding everything gives.
 */
class CompactionBlockCopyTest {
    private static final long STEP = 100_000_000L; // 0.1 s between points
    private static final long PARTITION = 1_000_000_000L; // 1 s: 10 points per partition
    private static final String[] SERIES = {"cpu", "mem"};
    private static final TagSet[] TAGS = {TagSet.of("host", "a"), TagSet.of("host", "b"), TagSet.of("host", "c")};

    /** The expected points and the tag-set ids the engine gives (in order of first write per series). */
    private static final class Expected {
        final TreeMap<String, LinkedHashMap<TagSet, TreeMap<Long, Double>>> points = new TreeMap<>();
        final Map<String, Long> deleteBefore = new HashMap<>();
        final long partitionWidth;

        Expected(long partitionWidth) {
            this.partitionWidth = partitionWidth;
        }

        void write(WriteBatch b) {
            for (var s : b.runs().entrySet()) {
                var bySeries = points.computeIfAbsent(s.getKey(), k -> new LinkedHashMap<>());
                for (WriteBatch.Run r : s.getValue().values()) {
                    var run = bySeries.computeIfAbsent(r.tags(), k -> new TreeMap<>());
                    for (int i = 0; i < r.size(); i++) {
                        run.put(r.timestamp(i), r.value(i));
                    }
                }
            }
        }
    }

    @Property(tries = 30)
    void compactedSegmentsAreTheFilesReEncodingWouldWrite(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws IOException {
        Random rnd = new Random(seed);
        int blockPoints = new int[]{2, 3, 4, 8}[rnd.nextInt(4)];
        // blocks also end at span boundaries: none, one that divides the partition, one that does not
        long span = new long[]{0, 5 * STEP, 3 * STEP, DatabaseOptions.HOUR_NANOS}[rnd.nextInt(4)];
        Path dir = Files.createTempDirectory("ugnos-copy");
        Expected expected = new Expected(PARTITION);
        Map<String, Long> cursor = new HashMap<>();
        int minSpanPoints = 1 + rnd.nextInt(blockPoints + 1); // up to one more than a block holds: spans never cut
        try (Database db = Database.open(dir, options(blockPoints, PARTITION).withBlockSpanNanos(span)
                .withBlockSpanMinPoints(minSpanPoints))) {
            int rounds = 1 + rnd.nextInt(3);
            for (int round = 0; round < rounds; round++) {
                int phases = 2 + rnd.nextInt(4);
                for (int phase = 0; phase < phases; phase++) {
                    WriteBatch b = new WriteBatch();
                    for (String s : SERIES) {
                        for (TagSet t : TAGS) {
                            if (rnd.nextInt(4) == 0) {
                                continue;
                            }
                            String key = s + t;
                            long from = cursor.getOrDefault(key, 0L);
                            int n = 1 + rnd.nextInt(3 * blockPoints);
                            boolean overlap = rnd.nextInt(5) == 0 && from > 0;
                            for (int i = 0; i < n; i++) {
                                long ts = overlap ? rnd.nextLong(from / STEP + 1) * STEP : from + i * STEP;
                                b.add(s, t, ts, rnd.nextInt(50));
                            }
                            if (!overlap) {
                                cursor.put(key, from + n * STEP);
                            }
                        }
                    }
                    if (!b.isEmpty()) {
                        db.write(b);
                        expected.write(b);
                    }
                    if (rnd.nextInt(3) > 0) {
                        db.flush();
                    }
                    if (rnd.nextInt(8) == 0 && expected.points.containsKey(SERIES[0])) {
                        long t = rnd.nextLong(40) * STEP / 2;
                        db.deleteBefore(SERIES[0], t);
                        expected.deleteBefore.merge(SERIES[0], t, Math::max);
                    }
                }
                db.compact(true);
                assertSegmentsAreReEncodings(db, dir, expected, blockPoints, span, minSpanPoints);
            }
            Map<String, Long> c = db.stats().snapshot();
            Statistics.label("paths").collect(c.get("compaction_blocks_copied") > 0 ? "copied" : "none copied",
                    c.get("compaction_blocks_merged") > 0 ? "merged" : "none merged");
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
        // copying next to merging must be common, or the byte comparison proves little
        Statistics.label("paths").coverage(c -> c.check("copied", "merged").percentage(p -> p > 30));
    }

    @Test
    void aBulkLoadFlushedInPartsIsCopiedNotReEncoded() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-copy");
        Expected expected = new Expected(DatabaseOptions.DAY_NANOS);
        try (Database db = Database.open(dir, options(4, DatabaseOptions.DAY_NANOS))) {
            for (int part = 0; part < 3; part++) { // each part: 8 points per tag set, two full blocks
                WriteBatch b = new WriteBatch();
                for (TagSet t : TAGS) {
                    for (int i = 0; i < 8; i++) {
                        b.add("cpu", t, (part * 8 + i) * STEP, part * 100 + i);
                    }
                }
                db.write(b);
                expected.write(b);
                db.flush();
            }
            db.compact(true);
            Map<String, Long> c = db.stats().snapshot();
            assertThat(c.get("compaction_blocks_copied")).isEqualTo(3L * 3 * 2);
            assertThat(c.get("compaction_blocks_merged")).isZero();
            assertSegmentsAreReEncodings(db, dir, expected, 4, DatabaseOptions.HOUR_NANOS, 256);
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
    }

    @Test
    void overlappingBlocksRetentionCutsAndPartialBlocksAreMerged() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-copy");
        Expected expected = new Expected(PARTITION);
        TagSet t = TAGS[0];
        try (Database db = Database.open(dir, options(4, PARTITION))) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 9; i++) { // blocks [0..3] [4..7] [8] (partition 0 holds 0..9)
                b.add("cpu", t, i * STEP, i);
            }
            db.write(b);
            expected.write(b);
            db.flush();
            b = new WriteBatch();
            b.add("cpu", t, 5 * STEP, -5); // rewrites a point of the second block: overlaps it
            db.write(b);
            expected.write(b);
            db.flush();
            b = new WriteBatch();
            for (int i = 20; i < 24; i++) { // a full block in partition 2, overlapping nothing
                b.add("cpu", t, i * STEP, i);
            }
            db.write(b);
            expected.write(b);
            db.flush();
            db.deleteBefore("cpu", 2 * STEP); // cuts the first block
            expected.deleteBefore.put("cpu", 2 * STEP);
            db.compact(true);
            Map<String, Long> c = db.stats().snapshot();
            assertThat(c.get("compaction_blocks_copied")).isEqualTo(1L); // [20..23]
            // [0..3] cut by retention, [4..7] and {5} overlap, [8] follows a partial block
            assertThat(c.get("compaction_blocks_merged")).isEqualTo(4L);
            assertSegmentsAreReEncodings(db, dir, expected, 4, DatabaseOptions.HOUR_NANOS, 256);
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
    }

    @Test
    void blocksWrittenUnderAnotherSpanAreReEncodedNotCopied() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-copy");
        Expected expected = new Expected(DatabaseOptions.DAY_NANOS);
        try {
            try (Database db = Database.open(dir, options(4, DatabaseOptions.DAY_NANOS).withBlockSpanNanos(0))) {
                WriteBatch b = new WriteBatch();
                for (int i = 0; i < 8; i++) { // blocks [0..3] [4..7]: both cross a 3-step span boundary
                    b.add("cpu", TAGS[0], i * STEP, i);
                }
                b.add("cpu", TAGS[1], 0, 1); // [0..2] fits the first span: copied
                b.add("cpu", TAGS[1], STEP, 2);
                b.add("cpu", TAGS[1], 2 * STEP, 3);
                db.write(b);
                expected.write(b);
                db.flush();
            }
            try (Database db = Database.open(dir, options(4, DatabaseOptions.DAY_NANOS).withBlockSpanNanos(3 * STEP)
                    .withBlockSpanMinPoints(1))) {
                db.compact(true);
                Map<String, Long> c = db.stats().snapshot();
                assertThat(c.get("compaction_blocks_copied")).isEqualTo(1L);
                assertThat(c.get("compaction_blocks_merged")).isEqualTo(2L);
                assertSegmentsAreReEncodings(db, dir, expected, 4, 3 * STEP, 1);
            }
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
    }

    private static DatabaseOptions options(int blockPoints, long partitionWidth) {
        return DatabaseOptions.defaults().withBlockPoints(blockPoints).withPartitionWidthNanos(partitionWidth)
                .withBackgroundCompaction(false);
    }

    /** Every live segment equals, byte for byte, a fresh SegmentWriter's file of the expected points of its partition. */
    private static void assertSegmentsAreReEncodings(Database db, Path dir, Expected expected, int blockPoints,
                                                     long span, int minSpanPoints) throws IOException {
        Path scratch = Files.createTempDirectory("ugnos-copy-expected");
        try {
            List<SegmentDesc> segments = db.segments();
            long points = 0;
            for (SegmentDesc d : segments) {
                assertThat(d.level()).isEqualTo(1);
                SegmentWriter.Result want;
                try (SegmentWriter w = new SegmentWriter(scratch, d.id(), blockPoints, span, minSpanPoints)) {
                    writeExpected(w, expected, d.partition());
                    want = w.finish();
                }
                byte[] got = Files.readAllBytes(dir.resolve(Database.SEGMENTS_DIR).resolve(SegmentFormat.fileName(d.id())));
                assertThat(got).as("segment %d (partition %d)", d.id(), d.partition())
                        .isEqualTo(Files.readAllBytes(want.file()));
                points += want.points();
            }
            assertThat(points).isEqualTo(expectedPoints(expected));
        } finally {
            DatabaseModelTest.deleteRecursively(scratch);
        }
    }

    private static void writeExpected(SegmentWriter w, Expected expected, long partition) {
        for (var s : expected.points.entrySet()) {
            long watermark = expected.deleteBefore.getOrDefault(s.getKey(), Long.MIN_VALUE);
            long lo = Math.max(partition, watermark);
            long hi = partition + expected.partitionWidth;
            if (lo >= hi) {
                continue;
            }
            w.beginSeries(s.getKey());
            int id = 0;
            for (TreeMap<Long, Double> run : s.getValue().values()) {
                var part = run.subMap(lo, true, hi, false);
                long[] ts = new long[part.size()];
                double[] vs = new double[part.size()];
                int k = 0;
                for (var p : part.entrySet()) {
                    ts[k] = p.getKey();
                    vs[k++] = p.getValue();
                }
                w.append(id++, ts, vs, 0, k);
            }
            w.endSeries();
        }
    }

    private static long expectedPoints(Expected expected) {
        long n = 0;
        for (var s : expected.points.entrySet()) {
            long watermark = expected.deleteBefore.getOrDefault(s.getKey(), Long.MIN_VALUE);
            for (TreeMap<Long, Double> run : s.getValue().values()) {
                n += run.tailMap(watermark, true).size();
            }
        }
        return n;
    }

}
