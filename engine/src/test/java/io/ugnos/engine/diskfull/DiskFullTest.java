package io.ugnos.engine.diskfull;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.DiskFullException;
import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A disk that fills up, several times over: writes fail with a {@link DiskFullException} that says
 * so, reads keep returning every acknowledged point, flush, compaction and metadata edits fail
 * without damage, and once space is freed everything resumes; after a restart every acknowledged
 * point is there exactly once. Runs on a real tmpfs where the machine allows mounting one, and on a
 * size-limited Jimfs everywhere.
 */
class DiskFullTest {
    static final long FS_BYTES = 4 << 20;
    static final int CYCLES = 3;
    static final int BATCH = 500;
    static final TagSet[] HOSTS = {TagSet.of("host", "a"), TagSet.of("host", "b"), TagSet.of("host", "c")};

    /** Points acknowledged so far: timestamps 1..acked (the value is a function of the timestamp). */
    long acked;
    final List<String> seriesCreated = new ArrayList<>();

    static double valueOf(long ts) {
        long z = ts * 0x9E3779B97F4A7C15L; // incompressible values, so that the disk fills with few points
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        return (z >>> 11) * 0x1.0p-53;
    }

    @ParameterizedTest
    @EnumSource(SmallFileSystem.Kind.class)
    void fillAndFreeCyclesLoseNothingAcknowledged(SmallFileSystem.Kind kind) throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.create(kind, FS_BYTES)) {
            DatabaseOptions opts = DatabaseOptions.defaults().withDurability(Durability.FLUSH)
                    .withMemtableBytes(256 << 10).withBackgroundCompaction(false);
            Path dir = fs.root();
            Path ballast = dir.resolveSibling("ballast");
            Path filler = dir.resolveSibling("filler");
            Database db = Database.open(dir, opts);
            try {
                for (int cycle = 0; cycle < CYCLES; cycle++) {
                    // leave about 512 KiB for the database, then write until the disk is full; the data
                    // grows by that much per cycle, and a full compaction needs room for a second copy
                    fs.fill(ballast, Math.max(0, fs.free() - (512 << 10)));
                    DiskFullException full = writeUntilFull(db);
                    assertThat(full.getMessage()).startsWith("disk full: ").contains("free space").contains(dir.toString());
                    fs.fill(filler, Long.MAX_VALUE); // not a byte left, for flush, compaction and metadata

                    assertAllAcknowledged(db);

                    Database open = db;
                    expectDoneOrDiskFull(open::flush);
                    expectDoneOrDiskFull(() -> open.compact(false));
                    assertNoTemporaries(dir);
                    assertAllAcknowledged(db);
                    createSeriesUntilFull(db, cycle);

                    assertAllAcknowledged(db);

                    if (cycle == CYCLES - 1) { // restart on the full disk: the open may fail, cleanly
                        db.close();
                        db = null;
                        try {
                            db = Database.open(dir, opts);
                            assertAllAcknowledged(db);
                        } catch (DiskFullException e) {
                            assertThat(e.getMessage()).contains("free space");
                        }
                    }

                    Files.delete(filler);
                    Files.delete(ballast);
                    if (db == null) {
                        db = Database.open(dir, opts);
                    }
                    db.flush(); // resumes at once, without waiting for the periodic retry
                    write(db, 10);
                    db.createSeries("resumed_" + cycle);
                    seriesCreated.add("resumed_" + cycle);
                    assertAllAcknowledged(db);
                }
                db.compact(true);
            } finally {
                if (db != null) {
                    db.close();
                }
            }
            try (Database reopened = Database.open(dir, opts)) {
                assertAllAcknowledged(reopened);
                assertThat(reopened.series()).containsAll(seriesCreated);
                assertThat(acked).as("points acknowledged").isGreaterThan(CYCLES * 10_000L);
                System.out.printf("disk full on %s: %d fill/free cycles, %d points and %d series acknowledged, all present once%n",
                        kind, CYCLES, acked, seriesCreated.size());
            }
        }
    }

    private DiskFullException writeUntilFull(Database db) {
        for (int i = 0; i < 1_000_000; i++) {
            try {
                write(db, 1);
            } catch (DiskFullException e) {
                return e;
            }
        }
        return fail("the disk never filled up");
    }

    /** Writes {@code batches} batches; counts their points as acknowledged only when the write returns. */
    private void write(Database db, int batches) {
        for (int b = 0; b < batches; b++) {
            WriteBatch batch = new WriteBatch();
            for (int i = 1; i <= BATCH; i++) {
                long ts = acked + i;
                batch.add("cpu", HOSTS[(int) (ts % HOSTS.length)], ts, valueOf(ts));
            }
            db.write(batch);
            acked += BATCH;
        }
    }

    private void createSeriesUntilFull(Database db, int cycle) {
        for (int i = 0; i < 100_000; i++) {
            String name = "meta_" + cycle + "_" + i;
            try {
                db.createSeries(name);
            } catch (DiskFullException e) {
                assertThat(e.getMessage()).startsWith("disk full: ").contains("manifest");
                return;
            }
            seriesCreated.add(name);
        }
        fail("creating series never filled the disk");
    }

    private static void expectDoneOrDiskFull(Runnable action) {
        try {
            action.run();
        } catch (DiskFullException e) {
            assertThat(e.getMessage()).contains("disk full").contains("free space");
        }
    }

    private void assertAllAcknowledged(Database db) {
        long[] seen = new long[(int) acked + 1];
        int n = 0;
        try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
            while (c.next()) {
                PointBatch b = c.batch();
                for (int i = 0; i < b.size(); i++) {
                    long ts = b.timestamps()[i];
                    assertThat(b.values()[i]).as("value at %d", ts).isEqualTo(valueOf(ts));
                    if (n == seen.length) {
                        fail("more points than the %d acknowledged", acked);
                    }
                    seen[n++] = ts;
                }
            }
        }
        long[] got = Arrays.copyOf(seen, n);
        Arrays.sort(got);
        assertThat(n).as("points stored").isEqualTo(acked);
        for (int i = 0; i < n; i++) {
            if (got[i] != i + 1) {
                fail("point %d missing or duplicated (found %d at position %d)", i + 1, got[i], i);
            }
        }
        assertThat(db.series()).containsAll(seriesCreated);
    }

    /**
     * No temporary file stays behind. The background flusher retries every second, so a retry's
     * temporary file may exist for an instant: one that is still there after 3 s was left behind.
     */
    private static void assertNoTemporaries(Path dir) throws IOException, InterruptedException {
        List<String> temporaries = List.of();
        for (long deadline = System.nanoTime() + 3_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            try (Stream<Path> files = Files.walk(dir)) {
                temporaries = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".tmp")).toList();
            } catch (java.io.UncheckedIOException vanished) {
                continue; // a temporary file was deleted while the walk listed it
            }
            if (temporaries.isEmpty()) {
                return;
            }
        }
        assertThat(temporaries).as("temporary files left by failed flushes").isEmpty();
    }
}
