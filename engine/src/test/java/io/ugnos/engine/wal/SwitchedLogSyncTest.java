package io.ugnos.engine.wal;

import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.RecordLog;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A log switched away from is followed by its successor ({@link WalWriter#follow}): the successor
 * fsyncs it before its own fsyncs, so no later batch becomes durable before an earlier one through
 * an fsync (the database also fsyncs it right after the switch); once its memtable is in a segment
 * it is closed without another fsync ({@link WalWriter#retire}).
 */
class SwitchedLogSyncTest {
    @TempDir
    Path dir;

    private final List<String> forces = new ArrayList<>();

    private final java.util.Map<String, WalWriteFailureTest.FlakyChannel> channels = new java.util.HashMap<>();

    private WalWriter log(String name) throws IOException {
        RecordingLog r = RecordingLog.create(dir, name, forces);
        channels.put(name, r.channel());
        return r.log();
    }

    /** A new log {@code name.log} in {@code dir} whose fsyncs add {@code name} to {@code forces}. */
    record RecordingLog(WalWriter log, WalWriteFailureTest.FlakyChannel channel) {
        static RecordingLog create(Path dir, String name, List<String> forces) throws IOException {
            Path file = dir.resolve(name + ".log");
            WalWriteFailureTest.FlakyChannel ch = new WalWriteFailureTest.FlakyChannel(
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            WalWriter w = WalWriter.create(file, ch, new LongAdder());
            ch.onForce = () -> forces.add(name);
            return new RecordingLog(w, ch);
        }
    }

    /** An interrupted retire waits for a running fsync instead of closing the file under it (found by review). */
    @Test
    void anInterruptedRetireDoesNotCloseTheFileUnderARunningFsync() throws Exception {
        WalWriter a = log("a");
        append(a, 1, Durability.FLUSH);
        java.util.concurrent.CountDownLatch inFsync = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        channels.get("a").onForce = () -> {
            inFsync.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        java.util.concurrent.CompletableFuture<Void> sync = java.util.concurrent.CompletableFuture.runAsync(a::sync);
        inFsync.await();
        Thread retiring = new Thread(a::retire);
        retiring.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (retiring.getState() != Thread.State.WAITING) { // retire waits for the fsync
            assertThat(System.nanoTime() - deadline).as("retire waiting for the fsync").isNegative();
            Thread.onSpinWait();
        }
        retiring.interrupt();
        Thread.sleep(50); // were the interrupt to end the wait, retire would close the file now
        release.countDown();
        sync.get(10, java.util.concurrent.TimeUnit.SECONDS); // the fsync succeeded
        retiring.join(10_000);
        assertThat(retiring.isAlive()).isFalse();
        assertThat(a.retired()).isTrue();
    }

    /** Closing a log whose predecessor's fsync fails does not count its own records durable (found by review). */
    @Test
    void closingAfterAFailedFsyncOfTheSwitchedLogAcknowledgesNothing() throws IOException {
        WalWriter a = log("a");
        append(a, 1, Durability.FLUSH);
        WalWriter b = log("b");
        b.follow(a);
        long bEnd = append(b, 2, Durability.FLUSH);
        channels.get("a").failForce = true;
        b.close();
        assertThat(forces).containsExactly("a", "b"); // b is still forced, as far as the disk allows
        assertThat(b.durableOffset()).isLessThan(bEnd);
        a.close();
    }

    /**
     * A failed fsync is remembered (found by review): Linux reports a writeback error to one fsync and
     * may drop the pages, so the next fsync succeeds without the data. Here the write-behind (or
     * periodic) fsync fails and swallows the error; the SYNC writer whose record it covered must not
     * then be acknowledged by an fsync that merely succeeds, nor may any later SYNC writer.
     */
    @Test
    void aFailedBackgroundFsyncIsNeverFollowedByADurableAcknowledgement() throws IOException {
        WalWriter a = log("a");
        long end = append(a, 1, Durability.SYNC);
        channels.get("a").failForce = true;
        a.syncIfBehind(); // the write-behind fsync runs before the writer reaches commit, and fails
        channels.get("a").failForce = false; // the error was reported once: the next fsync "succeeds"
        assertThatThrownBy(() -> a.commit(end, Durability.SYNC)).isInstanceOf(io.ugnos.engine.StorageException.class)
                .hasMessageContaining("earlier fsync");
        long later = append(a, 2, Durability.SYNC);
        assertThatThrownBy(() -> a.commit(later, Durability.SYNC)).isInstanceOf(io.ugnos.engine.StorageException.class);
        assertThatThrownBy(a::sync).isInstanceOf(io.ugnos.engine.StorageException.class);
        assertThat(a.durableOffset()).isLessThan(end);
        a.close();
        assertThat(a.durableOffset()).isLessThan(end); // closing does not count them durable either
    }

    /** A log following one whose fsync failed acknowledges nothing until that one is retired (its memtable in a segment). */
    @Test
    void aSuccessorAcknowledgesNothingUntilAFailedPredecessorIsRetired() throws IOException {
        WalWriter a = log("a");
        append(a, 1, Durability.FLUSH);
        channels.get("a").failForce = true;
        a.syncIfBehind();
        channels.get("a").failForce = false;
        WalWriter b = log("b");
        b.follow(a);
        long bEnd = append(b, 2, Durability.SYNC);
        assertThatThrownBy(() -> b.commit(bEnd, Durability.SYNC)).isInstanceOf(io.ugnos.engine.StorageException.class);
        assertThat(b.durableOffset()).isLessThan(bEnd);
        a.retire(); // a's records are in a durably installed segment now
        b.commit(bEnd, Durability.SYNC);
        assertThat(b.durableOffset()).isEqualTo(bEnd);
        b.close();
    }

    private static long append(WalWriter w, long seq, Durability d) {
        EncodeBuffer buf = new EncodeBuffer(256);
        int start = RecordLog.begin(buf);
        WalRecord.encode(seq, new WriteBatch().add("s", TagSet.of("k", "v"), seq, seq), buf);
        RecordLog.end(buf, start);
        return w.append(buf.array(), buf.size(), d);
    }

    @Test
    void theSuccessorsFirstFsyncForcesTheSwitchedLogFirstAndOnlyOnce() throws IOException {
        WalWriter a = log("a");
        long aEnd = append(a, 1, Durability.FLUSH);
        WalWriter b = log("b");
        b.follow(a);
        assertThat(forces).isEmpty(); // the switch itself forces nothing
        long bEnd = append(b, 2, Durability.SYNC);
        b.commit(bEnd, Durability.SYNC);
        assertThat(forces).containsExactly("a", "b");
        assertThat(a.durableOffset()).isEqualTo(aEnd);
        b.sync(); // nothing written since: no fsync at all
        assertThat(forces).containsExactly("a", "b");
        append(b, 3, Durability.FLUSH);
        b.sync();
        assertThat(forces).containsExactly("a", "b", "b");
        a.retire();
        b.close();
    }

    @Test
    void aChainOfSwitchedLogsIsForcedOldestFirst() throws IOException {
        WalWriter a = log("a");
        append(a, 1, Durability.FLUSH);
        WalWriter b = log("b");
        b.follow(a);
        append(b, 2, Durability.FLUSH);
        WalWriter c = log("c");
        c.follow(b);
        append(c, 3, Durability.FLUSH);
        c.syncIfBehind(); // the periodic sync
        assertThat(forces).containsExactly("a", "b", "c");
        a.close();
        b.close();
        c.close();
    }

    @Test
    void aRetiredLogIsNeverForced() throws IOException {
        WalWriter a = log("a");
        append(a, 1, Durability.FLUSH);
        WalWriter b = log("b");
        b.follow(a);
        a.retire();
        assertThat(a.retired()).isTrue();
        long bEnd = append(b, 2, Durability.SYNC);
        b.commit(bEnd, Durability.SYNC);
        b.close();
        assertThat(forces).containsExactly("b", "b");
    }

    @Test
    void closingTheSuccessorForcesAnUnretiredSwitchedLog() throws IOException {
        WalWriter a = log("a");
        append(a, 1, Durability.FLUSH);
        WalWriter b = log("b");
        b.follow(a);
        b.close();
        assertThat(forces).containsExactly("a", "b");
        a.close();
    }

    @Test
    void anAppendDoesNotWaitForThePeriodicFsync() throws Exception {
        Path file = dir.resolve("slow.log");
        WalWriteFailureTest.FlakyChannel ch = new WalWriteFailureTest.FlakyChannel(
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        WalWriter w = WalWriter.create(file, ch, new LongAdder());
        long first = append(w, 1, Durability.FLUSH);
        java.util.concurrent.CountDownLatch inForce = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ch.onForce = () -> {
            inForce.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread syncer = new Thread(w::syncIfBehind);
        syncer.start();
        assertThat(inForce.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var appended = java.util.concurrent.CompletableFuture.supplyAsync(() -> append(w, 2, Durability.FLUSH));
        long second = appended.get(10, java.util.concurrent.TimeUnit.SECONDS); // while the fsync is still running
        assertThat(second).isGreaterThan(first);
        assertThat(w.durableOffset()).isLessThan(first + 1).isLessThan(second);
        release.countDown();
        syncer.join();
        assertThat(w.durableOffset()).isEqualTo(first); // the fsync covered what was written when it began
        ch.onForce = () -> { };
        w.sync();
        assertThat(w.durableOffset()).isEqualTo(second);
        w.close();
    }

    @Test
    void bufferedNoneRecordsOfTheSwitchedLogAreWrittenAtTheSwitch() throws IOException {
        WalWriter a = log("a");
        long end = append(a, 1, Durability.NONE); // held in the log's buffer
        assertThat(Files.size(dir.resolve("a.log"))).isLessThan(end);
        WalWriter b = log("b");
        b.follow(a);
        assertThat(Files.size(dir.resolve("a.log"))).isEqualTo(end);
        assertThat(forces).isEmpty();
        a.retire();
        b.close();
    }
}
