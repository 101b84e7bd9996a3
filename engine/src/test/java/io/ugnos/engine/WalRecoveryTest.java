package io.ugnos.engine;

import io.ugnos.engine.check.IntegrityCheck;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery from the write-ahead log as a killed process leaves it: the test copies a live database
 * directory (every acknowledged FLUSH write is in the OS, so the copy is what a kill -9 leaves), then
 * damages the copy's log.
 */
class WalRecoveryTest {
    private Path live;
    private Path crashed;

    @BeforeEach
    void setUp() throws IOException {
        live = Files.createTempDirectory("ugnos-wal-live");
        crashed = Files.createTempDirectory("ugnos-wal-crashed");
    }

    @AfterEach
    void tearDown() throws IOException {
        DatabaseModelTest.deleteRecursively(live);
        DatabaseModelTest.deleteRecursively(crashed);
    }

    private static WriteBatch batch(int k) {
        WriteBatch b = new WriteBatch();
        WriteBatch.Run r = b.run("cpu", TagSet.of("host", "h" + (k % 3)));
        for (int i = 0; i < 100; i++) {
            r.add(k * 1_000L + i, k);
        }
        return b;
    }

    /**
     * Writes {@code batches} batches without flushing the memtable (the first {@code synced} of them
     * with SYNC, the rest with FLUSH) and copies the directory while the database is open.
     */
    private Path walOfCrashedCopy(int batches, int synced) throws IOException {
        // a long memtable age keeps the periodic log fsync from running during the test
        try (Database db = Database.open(live, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withMemtableMaxAgeNanos(3_600_000_000_000L))) {
            for (int k = 0; k < batches; k++) {
                db.write(batch(k), k < synced ? Durability.SYNC : Durability.FLUSH);
            }
            TestDirs.copyLive(live, crashed);
        }
        try (Stream<Path> s = Files.list(crashed.resolve("wal"))) {
            List<Path> logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
            assertThat(logs).isNotEmpty();
            return logs.get(logs.size() - 1);
        }
    }

    private static long[] countPerBatch(Database db, int batches) {
        long[] n = new long[batches];
        try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
            while (c.next()) {
                for (int i = 0; i < c.batch().size(); i++) {
                    n[(int) c.batch().values()[i]]++;
                }
            }
        }
        return n;
    }

    @Test
    void everyAcknowledgedBatchIsReplayedExactlyOnce() throws IOException {
        walOfCrashedCopy(10, 0);
        try (Database db = Database.open(crashed)) {
            assertThat(countPerBatch(db, 10)).containsOnly(100L);
            assertThat(db.stats().get("wal_records_replayed")).isEqualTo(10);
        }
        try (Database db = Database.open(crashed)) { // replayed data is now in a segment: not replayed twice
            assertThat(countPerBatch(db, 10)).containsOnly(100L);
            assertThat(db.stats().get("wal_records_replayed")).isZero();
        }
    }

    /**
     * A writer whose own encode buffer grew past the small-record size (a 2.1 MB record, then a
     * 2.2 MB one) while another writer writes records over 4 MiB: the two must never encode into
     * the same buffer (that once happened: the grown thread-local buffer was handed to the shared
     * large-record slot), or a logged record mixes both batches under a valid checksum and replay
     * brings back wrong points.
     */
    @Test
    void concurrentSmallAndLargeRecordsReplayExactly() throws Exception {
        int[] smallSizes = {140_000, 150_000}; // 2.24 MB, then 2.4 MB: the buffer doubles to 4.48 MB
        int smallBatches = 12;
        int largeBatches = 8;
        int largeSize = 265_000; // 4.24 MB: over 4 MiB, and fits a 4.48 MB buffer
        try (Database db = Database.open(live, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withMemtableBytes(1L << 30).withMemtableMaxAgeNanos(3_600_000_000_000L))) {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var small = pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < smallBatches; k++) {
                        db.write(numbered("a", k, smallSizes[k % 2]));
                    }
                    return null;
                });
                var large = pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < largeBatches; k++) {
                        db.write(numbered("b", k, largeSize));
                    }
                    return null;
                });
                small.get(60, TimeUnit.SECONDS);
                large.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            TestDirs.copyLive(live, crashed);
        }
        try (Database db = Database.open(crashed)) {
            assertThat(db.stats().get("wal_records_replayed")).isEqualTo(smallBatches + largeBatches);
            for (int k = 0; k < smallBatches; k++) {
                assertNumbered(db, "a", k, smallSizes[k % 2]);
            }
            for (int k = 0; k < largeBatches; k++) {
                assertNumbered(db, "b", k, largeSize);
            }
        }
    }

    /** {@code n} points of series {@code s}, tag host=k, at 0..n-1 with values that name the batch and the point. */
    private static WriteBatch numbered(String s, int k, int n) {
        WriteBatch b = new WriteBatch();
        WriteBatch.Run r = b.run(s, TagSet.of("host", "h" + k));
        for (int i = 0; i < n; i++) {
            r.add(i, k * 1_000_000.0 + i);
        }
        return b;
    }

    private static void assertNumbered(Database db, String s, int k, int n) {
        int seen = 0;
        try (ScanCursor c = db.scan(ScanRequest.of(s, TimeRange.ALL, io.ugnos.engine.index.TagPredicate.eq("host", "h" + k)))) {
            while (c.next()) {
                for (int i = 0; i < c.batch().size(); i++) {
                    long ts = c.batch().timestamps()[i];
                    assertThat(ts).as("%s batch %d point %d", s, k, seen).isEqualTo(seen);
                    assertThat(c.batch().values()[i]).as("%s batch %d at %d", s, k, ts).isEqualTo(k * 1_000_000.0 + ts);
                    seen++;
                }
            }
        }
        assertThat(seen).as("%s batch %d points", s, k).isEqualTo(n);
    }

    @Test
    void tornTailIsCutOffAndCounted() throws IOException {
        Path log = walOfCrashedCopy(5, 0);
        long size = Files.size(log);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(size - 700); // the last record (5 x ~1.6 KB) loses its end
        }
        try (Database db = Database.open(crashed)) {
            long[] n = countPerBatch(db, 5);
            assertThat(n).containsExactly(100, 100, 100, 100, 0);
            assertThat(db.stats().get("wal_torn_tail_bytes")).isPositive();
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        TestDirs.flip(file, offset, 0x10);
    }

    @Test
    void damageToFsyncedRecordsIsCorruptionNamingFileAndOffset() throws IOException {
        Path log = walOfCrashedCopy(5, 1); // the first record is fsynced; later records say so
        flip(log, 16 + 12 + 40); // inside the payload of the first record
        assertThatThrownBy(() -> Database.open(crashed).close())
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(log.getFileName().toString())
                .hasMessageContaining("offset 16");
    }

    /**
     * A power loss may write back a later page of the log and lose an earlier one. Records written
     * after the hole were never fsynced (they say so), so none was acknowledged as durable: the log
     * is cut at the hole, and what was fsynced before it survives.
     */
    @Test
    void holeInUnsyncedDataIsCutEvenWithIntactRecordsAfterIt() throws IOException {
        Path log = walOfCrashedCopy(5, 2);
        long recordBytes = (Files.size(log) - 16) / 5;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.seek(16 + 2 * recordBytes + 100); // inside the third record, the first one not fsynced
            f.write(new byte[64]);
        }
        try (Database db = Database.open(crashed)) {
            assertThat(countPerBatch(db, 5)).containsExactly(100, 100, 0, 0, 0);
            assertThat(db.stats().get("wal_torn_tail_bytes")).isEqualTo(3 * recordBytes);
        }
    }

    /** Opens a database and holds it until stdin closes; run in a child JVM by the lock test. */
    public static void main(String[] args) throws IOException {
        try (Database db = Database.open(Path.of(args[0]))) {
            System.out.println("OPEN");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }

    @Test
    void aSecondProcessGetsTheOwnersPid() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WalRecoveryTest.class.getName(), live.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("OPEN");
            assertThatThrownBy(() -> Database.open(live))
                    .isInstanceOf(DatabaseLockedException.class)
                    .hasMessageContaining("locked by pid " + child.pid());
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        try (Database db = Database.open(live)) { // released when the owner exits
            assertThat(db.series()).isEmpty();
        }
    }

    @Test
    void aSeriesWhoseEveryPointExpiredSurvivesReopening() {
        // found by DatabaseModelTest (seed 888): the replayed log held only expired points, so nothing
        // was flushed, and the log went without the series being recorded
        DatabaseOptions opts = DatabaseOptions.defaults().withBackgroundCompaction(false).withClock(() -> 10_000_000L);
        try (Database db = Database.open(live, opts)) {
            db.setDatabaseTtl(java.time.Duration.ofNanos(1_000));
            db.write(new WriteBatch().add("cpu", TagSet.of("host", "a"), 5, 1.0)); // far below the watermark
            assertThat(db.hasSeries("cpu")).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            try (Database db = Database.open(live, opts)) {
                assertThat(db.hasSeries("cpu")).as("after reopen %d", i + 1).isTrue();
                assertThat(db.tagKeys("cpu")).containsExactly("host");
            }
        }
    }

    private static TreeSet<Integer> batchesIn(Database db) {
        TreeSet<Integer> out = new TreeSet<>();
        if (!db.hasSeries("cpu")) {
            return out;
        }
        try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
            while (c.next()) {
                for (int i = 0; i < c.batch().size(); i++) {
                    out.add((int) c.batch().values()[i]);
                }
            }
        }
        return out;
    }

    /**
     * A log whose batches were all acknowledged under SYNC (so its header was fsynced with them)
     * and whose first 16 bytes are later zeroed (a bad sector, a filesystem bug): cutting it to
     * nothing would lose five acknowledged batches, so it is a CorruptionException, and `ugnos check`
     * reports it. (Found by review of a change that read a zeroed header as a never-fsynced log.)
     */
    @Test
    void zeroedHeaderOfAnFsyncedLogIsReportedNotSilentlyDropped() throws IOException {
        Path log = walOfCrashedCopy(5, 5);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.write(new byte[16]); // header only; all five records stay intact
        }
        IntegrityCheck.Report r = IntegrityCheck.run(crashed);
        String opened;
        try (Database db = Database.open(crashed)) {
            opened = "opened without error; batches recovered: " + batchesIn(db);
        } catch (CorruptionException e) {
            opened = null;
        }
        assertThat(opened).as("open of a SYNC log with a zeroed header (check said " + r + ")").isNull();
        assertThat(r.ok()).as("ugnos check: " + r).isFalse();
    }

    /**
     * A reused batch whose runs for a series are all empty does not create that series: its WAL
     * record leaves empty runs out, so replay would not create it, and a series dropped meanwhile
     * must not come back on the live database either (found by review).
     */
    @Test
    void aResetBatchDoesNotResurrectADroppedSeries() throws IOException {
        try (Database db = Database.open(live, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withMemtableMaxAgeNanos(3_600_000_000_000L))) {
            WriteBatch w = new WriteBatch();
            WriteBatch.Run a = w.run("gone", TagSet.of("host", "h0"));
            WriteBatch.Run b = w.run("kept", TagSet.of("host", "h0"));
            a.add(1, 1.0);
            b.add(1, 1.0);
            db.write(w);
            db.dropSeries("gone");
            assertThat(db.hasSeries("gone")).isFalse();
            w.reset();
            b.add(2, 2.0);
            db.write(w);
            boolean liveHas = db.hasSeries("gone");
            TestDirs.copyLive(live, crashed);
            try (Database replayed = Database.open(crashed)) {
                assertThat(replayed.hasSeries("gone")).as("after crash/replay").isEqualTo(liveHas);
            }
            assertThat(liveHas).as("dropped series came back through an empty run of a reused batch").isFalse();
        }
    }
}
