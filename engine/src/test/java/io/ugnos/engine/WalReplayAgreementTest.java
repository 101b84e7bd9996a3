package io.ugnos.engine;

import io.ugnos.engine.check.IntegrityCheck;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a review of the write path found (2026-11-25), kept as regressions: a zeroed header of a log
 * that had fsyncs is corruption, not an empty log; a series with only empty runs in a batch (a
 * reused one) is not created, since its WAL record would not create it on replay.
 */
class WalReplayAgreementTest {
    private Path live;
    private Path crashed;

    @BeforeEach
    void setUp() throws IOException {
        live = Files.createTempDirectory("ugnos-review-live");
        crashed = Files.createTempDirectory("ugnos-review-crashed");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestDirs.deleteRecursively(live);
        TestDirs.deleteRecursively(crashed);
    }

    private static WriteBatch batch(int k) {
        WriteBatch b = new WriteBatch();
        WriteBatch.Run r = b.run("cpu", TagSet.of("host", "h" + (k % 3)));
        for (int i = 0; i < 100; i++) {
            r.add(k * 1_000L + i, k);
        }
        return b;
    }

    private Path crashedCopy(int batches, Durability d) throws IOException {
        try (Database db = Database.open(live, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withMemtableMaxAgeNanos(3_600_000_000_000L))) {
            for (int k = 0; k < batches; k++) {
                db.write(batch(k), d);
            }
            TestDirs.copyLive(live, crashed);
        }
        try (Stream<Path> s = Files.list(crashed.resolve("wal"))) {
            List<Path> logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
            return logs.get(logs.size() - 1);
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
     * and whose first 16 bytes are later zeroed (a bad sector, a filesystem bug) is silently cut to
     * nothing would lose five acknowledged batches: it is a CorruptionException naming the file, and
     * `ugnos check` reports it.
     */
    @Test
    void zeroedHeaderOfAnFsyncedLogIsReportedNotSilentlyDropped() throws IOException {
        Path log = crashedCopy(5, Durability.SYNC);
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
     * A reused batch whose runs for a series are all empty still makes the write call
     * catalog.getOrCreate for that series (Database.prepare), so a series dropped meanwhile comes back
     * (empty) on the live database; the WAL record skips the series, so after a crash it is gone again
     * (live state and replay disagree).
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
