package io.ugnos.engine.wal;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.RecordLog;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WriteBehindSync} fsyncs a log in the background once enough is unsynced, fsyncs a switched
 * log's predecessor first, queues one fsync at a time, and never runs on the writer's thread.
 */
class WriteBehindSyncTest {
    @TempDir
    Path dir;

    private final List<String> forces = new ArrayList<>();
    /** The executor the tests drive by hand: nothing runs until {@link #runQueued}. */
    private final Queue<Runnable> queued = new ArrayDeque<>();

    /** Write-behind at 10,000 bytes, its fsyncs queued on {@link #queued}. */
    private final WriteBehindSync wb = new WriteBehindSync(10_000, queued::add);

    private WalWriter log(String name) throws IOException {
        return SwitchedLogSyncTest.RecordingLog.create(dir, name, forces).log();
    }

    /** Appends one record of {@code points} points; returns its end offset. */
    private static long append(WalWriter w, long seq, int points) {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < points; i++) {
            b.add("s", TagSet.of("k", "v"), i, i);
        }
        EncodeBuffer buf = new EncodeBuffer(256);
        int start = RecordLog.begin(buf);
        WalRecord.encode(seq, b, buf);
        RecordLog.end(buf, start);
        return w.append(buf.array(), buf.size(), Durability.FLUSH);
    }

    private void runQueued() {
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
    }

    @Test
    void belowTheThresholdNothingIsQueued() throws IOException {
        WalWriter a = log("a");
        append(a, 1, 100); // about 1.6 KB
        wb.afterAppend(a);
        assertThat(queued).isEmpty();
        assertThat(a.unsyncedBytes()).isPositive();
    }

    @Test
    void pastTheThresholdOneFsyncIsQueuedAndMakesEverythingWrittenDurable() throws IOException {
        WalWriter a = log("a");
        append(a, 1, 1_000); // about 16 KB
        wb.afterAppend(a);
        long end = append(a, 2, 1_000);
        wb.afterAppend(a); // one is queued already: not a second
        assertThat(queued).hasSize(1);
        assertThat(forces).isEmpty(); // not on the writer's thread
        runQueued();
        assertThat(forces).containsExactly("a");
        assertThat(a.durableOffset()).isEqualTo(end); // what was written when it ran, both records
        assertThat(a.unsyncedBytes()).isZero();
        append(a, 3, 1_000); // the queued flag was cleared: the next threshold crossing queues again
        wb.afterAppend(a);
        assertThat(queued).hasSize(1);
    }

    @Test
    void aSwitchedLogsPredecessorIsFsyncedFirst() throws IOException {
        WalWriter a = log("a");
        long aEnd = append(a, 1, 100);
        WalWriter b = log("b");
        b.follow(a);
        append(b, 2, 1_000);
        wb.afterAppend(b);
        runQueued();
        assertThat(forces).containsExactly("a", "b"); // no later batch durable before an earlier one
        assertThat(a.durableOffset()).isEqualTo(aEnd);
    }

    @Test
    void aLogRetiredBeforeItsQueuedFsyncRunsIsLeftAlone() throws IOException {
        WalWriter a = log("a");
        append(a, 1, 1_000);
        wb.afterAppend(a);
        a.retire(); // its memtable reached a segment meanwhile
        runQueued(); // quiet: no fsync of a closed file, no exception
        assertThat(forces).isEmpty();
    }

    @Test
    void aRejectedFsyncLeavesTheNextCrossingFreeToQueue() throws IOException {
        WalWriter a = log("a");
        boolean[] reject = {true};
        WriteBehindSync rejecting = new WriteBehindSync(10_000, r -> {
            if (reject[0]) {
                throw new java.util.concurrent.RejectedExecutionException("closing");
            }
            queued.add(r);
        });
        append(a, 1, 1_000);
        rejecting.afterAppend(a);
        reject[0] = false;
        rejecting.afterAppend(a);
        assertThat(queued).hasSize(1);
    }

    /** In the database: a bulk FLUSH load's log is fsynced while it is written, not only at the switch. */
    @Test
    void aDatabaseFsyncsItsLogWhileABulkLoadWritesIt() {
        // no switch (large memtable) and a periodic sync far away (max age 1 h, tick 1 s): only write-behind fsyncs
        DatabaseOptions o = DatabaseOptions.defaults().withDurability(Durability.FLUSH).withMemtableBytes(1L << 30)
                .withMemtableMaxAgeNanos(3_600_000_000_000L);
        long opened = System.nanoTime();
        try (Database db = Database.open(dir.resolve("db"), o)) {
            long syncs0 = db.stats().get("wal_syncs");
            for (int b = 0; b < 4; b++) { // 4 × 400,000 points × 16 bytes: past the 4 MiB threshold each time
                WriteBatch batch = new WriteBatch();
                WriteBatch.Run run = batch.run("s", TagSet.of("k", "v"));
                for (int i = 0; i < 400_000; i++) {
                    run.add(b * 400_000L + i, i);
                }
                db.write(batch);
            }
            long deadline = opened + 900_000_000L; // before the first periodic fsync, a second after opening
            org.junit.jupiter.api.Assumptions.assumeTrue(System.nanoTime() < deadline, "the writes took most of a second: too slow to tell");
            while (db.stats().get("wal_syncs") == syncs0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(db.stats().get("wal_syncs")).as("fsyncs during the load").isGreaterThan(syncs0);
        }
    }
}
