package io.ugnos.engine;

import io.ugnos.engine.diskfull.SmallFileSystem;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.segment.SegmentFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A flush that a caller of {@link Database#flush} waits for writes a large memtable as two level-0
 * segments split by series, one on the waiting thread ({@link FlushPart}). The two must answer
 * queries as the one segment of an unsplit flush would, be installed together with the persisted
 * sequence number (the log goes only once both are in the manifest), compact into the very file an
 * unsplit flush compacts into, and leave nothing behind when one half fails.
 */
class SplitFlushTest {
    private static final String[] SERIES = {"cpu.idle", "cpu.user", "disk.free", "mem.used", "net.in"};
    private static final TagSet[] TAGS = {TagSet.of("host", "a"), TagSet.of("host", "b", "dc", "x"), TagSet.of("host", "c")};
    private static final long STEP = 10_000_000_000L; // 10 s

    private static DatabaseOptions options(long splitMinPoints) {
        return DatabaseOptions.defaults().withSplitFlushMinPoints(splitMinPoints).withBackgroundCompaction(false)
                .withMemtableMaxAgeNanos(3_600_000_000_000L);
    }

    /** Ten batches over every (series, tag set), each run getting at least one point per batch. */
    private static List<WriteBatch> batches(long seed) {
        Random rnd = new Random(seed);
        List<WriteBatch> out = new ArrayList<>();
        long t = 1_700_000_000_000_000_000L;
        for (int k = 0; k < 10; k++) {
            WriteBatch b = new WriteBatch();
            int n = 1 + rnd.nextInt(600);
            for (String s : SERIES) {
                for (TagSet tags : TAGS) {
                    for (int i = 0; i < n; i++) {
                        b.add(s, tags, t + i * STEP, rnd.nextInt(10_000) / 100.0);
                    }
                }
            }
            t += n * STEP;
            out.add(b);
        }
        return out;
    }

    private static long points(List<WriteBatch> batches) {
        return batches.stream().mapToLong(WriteBatch::pointCount).sum();
    }

    @Test
    void aWaitedFlushWritesTwoSegmentsThatAnswerAndCompactAsOne() throws IOException {
        Path split = Files.createTempDirectory("ugnos-split");
        Path whole = Files.createTempDirectory("ugnos-whole");
        try {
            List<WriteBatch> data = batches(42);
            String want;
            List<byte[]> wholeCompacted;
            try (Database db = Database.open(whole, options(Long.MAX_VALUE))) {
                data.forEach(db::write);
                db.flush();
                assertThat(db.segments()).hasSize(1);
                assertThat(db.stats().get("split_flushes")).isZero();
                want = dump(db);
                db.compact(true);
                wholeCompacted = segmentFiles(whole);
            }
            try (Database db = Database.open(split, options(2))) {
                data.forEach(db::write);
                db.flush();
                List<SegmentDesc> segs = db.segments();
                assertThat(segs).hasSize(2);
                assertThat(segs).allSatisfy(d -> {
                    assertThat(d.level()).isZero();
                    assertThat(d.minSeq()).isEqualTo(segs.get(0).minSeq());
                    assertThat(d.maxSeq()).isEqualTo(segs.get(0).maxSeq());
                });
                assertThat(segs.get(0).points() + segs.get(1).points()).isEqualTo(points(data));
                assertThat(db.stats().get("split_flushes")).isEqualTo(1);
                assertThat(dump(db)).isEqualTo(want);
                assertThat(Files.list(split.resolve("wal")).count()).as("only the new, empty log is left").isEqualTo(1);
            }
            try (Database db = Database.open(split, options(2))) { // both halves are in the manifest: nothing to replay
                assertThat(db.stats().get("wal_records_replayed")).isZero();
                assertThat(db.segments()).hasSize(2);
                assertThat(dump(db)).isEqualTo(want);
                db.compact(true);
                List<byte[]> compacted = segmentFiles(split);
                assertThat(compacted).hasSameSizeAs(wholeCompacted);
                for (int i = 0; i < compacted.size(); i++) {
                    assertThat(compacted.get(i)).as("level-1 segment %d", i).isEqualTo(wholeCompacted.get(i));
                }
                assertThat(dump(db)).isEqualTo(want);
            }
        } finally {
            DatabaseModelTest.deleteRecursively(split);
            DatabaseModelTest.deleteRecursively(whole);
        }
    }

    @Test
    void aSmallMemtableOrASingleSeriesIsNotSplit() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-split-small");
        try (Database db = Database.open(dir, options(1_000_000))) {
            batches(7).forEach(db::write); // under 1 M points
            db.flush();
            assertThat(db.segments()).hasSize(1);
            assertThat(db.stats().get("split_flushes")).isZero();
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
        dir = Files.createTempDirectory("ugnos-split-one");
        try (Database db = Database.open(dir, options(2))) {
            db.write(new WriteBatch().add("cpu", TAGS[0], 1, 1.0).add("cpu", TAGS[1], 2, 2.0));
            db.flush();
            assertThat(db.segments()).hasSize(1);
            assertThat(db.stats().get("split_flushes")).isZero();
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
    }

    /**
     * What a crash between the two halves leaves: one half's segment installed under its final name,
     * the other still a temporary, and neither in the manifest, whose persisted sequence number has
     * not moved, so the log is still there. Opening replays the log and removes both files: every
     * acknowledged batch is there exactly once.
     */
    @Test
    void aCrashBetweenTheHalvesLosesNothingAndDuplicatesNothing() throws IOException {
        Path live = Files.createTempDirectory("ugnos-split-live");
        Path crashed = Files.createTempDirectory("ugnos-split-crashed");
        try {
            List<WriteBatch> data = batches(3);
            String want;
            try (Database db = Database.open(live, options(2))) {
                data.forEach(db::write);
                want = dump(db);
                TestDirs.copyLive(live, crashed); // the log, the manifest without segments
                db.flush();
                List<SegmentDesc> segs = db.segments();
                assertThat(segs).hasSize(2);
                Path first = live.resolve("segments").resolve(SegmentFormat.fileName(segs.get(0).id()));
                Path second = live.resolve("segments").resolve(SegmentFormat.fileName(segs.get(1).id()));
                Files.createDirectories(crashed.resolve("segments"));
                Files.copy(first, crashed.resolve("segments").resolve(first.getFileName()));
                byte[] part = Files.readAllBytes(second);
                Files.write(crashed.resolve("segments").resolve(second.getFileName() + ".tmp"),
                        java.util.Arrays.copyOf(part, part.length / 2));
            }
            try (Database db = Database.open(crashed, options(2))) {
                assertThat(db.stats().get("wal_records_replayed")).isEqualTo(data.size());
                assertThat(dump(db)).isEqualTo(want);
                assertThat(db.storage().points()).isEqualTo(points(data));
                db.compact(true);
                assertThat(dump(db)).isEqualTo(want);
            }
        } finally {
            DatabaseModelTest.deleteRecursively(live);
            DatabaseModelTest.deleteRecursively(crashed);
        }
    }

    /**
     * A disk that has room for one half but not both: the flush fails as a whole, neither half's file
     * is left and the manifest lists no segment; once space is freed the retried flush installs both,
     * and the points are all there, also after reopening.
     */
    @Test
    void aHalfThatDoesNotFitFailsTheWholeFlushAndLeavesNoFile() throws Exception {
        List<WriteBatch> data = batches(11);
        // the sizes of the two halves on an ordinary disk
        long larger;
        long smaller;
        String want;
        Path probe = Files.createTempDirectory("ugnos-split-probe");
        try (Database db = Database.open(probe, options(2))) {
            data.forEach(db::write);
            want = dump(db);
            db.flush();
            List<SegmentDesc> segs = db.segments();
            larger = Math.max(segs.get(0).bytes(), segs.get(1).bytes());
            smaller = Math.min(segs.get(0).bytes(), segs.get(1).bytes());
        } finally {
            DatabaseModelTest.deleteRecursively(probe);
        }
        try (SmallFileSystem fs = SmallFileSystem.create(SmallFileSystem.Kind.JIMFS, 16L << 20)) {
            Path dir = fs.root();
            try (Database db = Database.open(dir, options(2))) {
                data.forEach(db::write);
                Path filler = dir.resolve("filler");
                // room for the larger half and a little, not for both (the new log's first block counted too)
                fs.fill(filler, fs.free() - larger - smaller / 2 - 8192);
                assertThatThrownBy(db::flush).isInstanceOf(DiskFullException.class);
                assertThat(db.segments()).isEmpty();
                // the flusher keeps retrying on the full disk (each attempt may install a half before the other
                // fails, then removes it): a half left behind would stay for good, so wait for a moment with none
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (!installedSegmentFiles(dir).isEmpty()) {
                    assertThat(System.nanoTime()).as("no installed half of a failed flush is left: %s", installedSegmentFiles(dir))
                            .isLessThan(deadline);
                    Thread.sleep(2);
                }
                Files.delete(filler);
                db.flush();
                // two segments, or one if the flusher's once-a-second retry got there before this flush()
                assertThat(db.segments()).hasSizeBetween(1, 2);
                assertThat(db.segments().stream().mapToLong(SegmentDesc::points).sum()).isEqualTo(points(data));
                assertThat(dump(db)).isEqualTo(want);
            }
            try (Database db = Database.open(dir, options(2))) {
                assertThat(db.stats().get("wal_records_replayed")).isZero();
                assertThat(dump(db)).isEqualTo(want);
            }
        }
    }

    private static List<Path> installedSegmentFiles(Path db) throws IOException {
        try (Stream<Path> files = Files.list(db.resolve("segments"))) {
            return files.filter(p -> p.toString().endsWith(SegmentFormat.SUFFIX)).toList();
        }
    }

    /** The bytes of every segment file, in file-name (id) order. */
    private static List<byte[]> segmentFiles(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
            for (Path p : files.sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static String dump(Database db) {
        StringBuilder sb = new StringBuilder();
        for (String s : SERIES) {
            TreeMap<String, List<String>> byTags = new TreeMap<>();
            try (ScanCursor c = db.scan(ScanRequest.all(s))) {
                while (c.next()) {
                    List<String> l = byTags.computeIfAbsent(c.tagSet(c.batch().tagSetId()).toString(), x -> new ArrayList<>());
                    for (int i = 0; i < c.batch().size(); i++) {
                        l.add(c.batch().timestamps()[i] + "=" + c.batch().values()[i]);
                    }
                }
            }
            sb.append(s).append(byTags).append('\n');
        }
        return sb.toString();
    }
}
