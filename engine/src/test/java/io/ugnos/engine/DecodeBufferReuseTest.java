package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query hands its decode buffers back to its thread when it ends, and the thread's next query
 * takes them (DecodedBlock.take/give). Cursors open at the same time on one thread, closed in any
 * order, with aggregates run between their batches, must each still read exactly their own points:
 * two queries never decode into the same buffers.
 */
class DecodeBufferReuseTest {

    @Property(tries = 30)
    void interleavedQueriesOnOneThreadReadTheirOwnPoints(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-reuse");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(4 + rnd.nextInt(40))
                .withBackgroundCompaction(false))) {
            int series = 2 + rnd.nextInt(3);
            for (int s = 0; s < series; s++) {
                WriteBatch b = new WriteBatch();
                for (int h = 0; h < 3; h++) {
                    int n = 1 + rnd.nextInt(300);
                    for (int i = 0; i < n; i++) {
                        b.add("s" + s, TagSet.of(Map.of("host", "h" + h)), i * 10L, s * 1000 + h * 100 + rnd.nextInt(50));
                    }
                }
                db.write(b);
            }
            db.compact(true); // every block on disk: each query decodes
            List<List<Long>> expected = new ArrayList<>();
            for (int s = 0; s < series; s++) {
                expected.add(points(db.scan(ScanRequest.all("s" + s))));
            }
            // open every cursor, then step them in random order, closing each when it ends
            List<ScanCursor> open = new ArrayList<>();
            List<List<Long>> got = new ArrayList<>();
            for (int s = 0; s < series; s++) {
                open.add(db.scan(new ScanRequest("s" + s, TimeRange.ALL, TagPredicate.ALL, true, true, 1 + rnd.nextInt(64))));
                got.add(new ArrayList<>());
            }
            int live = series;
            while (live > 0) {
                int s = rnd.nextInt(series);
                ScanCursor c = open.get(s);
                if (c == null) {
                    continue;
                }
                if (c.next()) {
                    add(c.batch(), got.get(s));
                } else {
                    c.close();
                    open.set(s, null);
                    live--;
                }
                if (rnd.nextInt(3) == 0) { // another query between two batches takes and gives back buffers
                    int t = rnd.nextInt(series);
                    if (rnd.nextBoolean()) {
                        assertThat(points(db.scan(ScanRequest.all("s" + t)))).isEqualTo(expected.get(t));
                    } else { // per 10 ns bucket: decodes every block
                        var rows = db.aggregate(new AggregateRequest("s" + t, TimeRange.ALL, TagPredicate.ALL, 10, 0,
                                Set.of(AggFn.MAX), List.of())).rows();
                        assertThat(rows.stream().mapToDouble(r -> r.max()).max().orElseThrow())
                                .isEqualTo(expected.get(t).stream().filter(x -> (x & 1) == 1)
                                        .mapToDouble(x -> Double.longBitsToDouble(x >>> 1)).max().orElseThrow());
                    }
                }
            }
            assertThat(got).isEqualTo(expected);
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * A cursor closed by another thread than the one stepping it (a JDBC statement closed by a pool
     * or at shutdown) must not hand its buffers to the closing thread, whose next queries would
     * decode into them under the stepping thread: that thread sees its own points until it stops,
     * or no more points, never others' points, a checksum error or a null buffer.
     */
    @org.junit.jupiter.api.Test
    void aCursorClosedByAnotherThreadKeepsItsBuffersFromThatThreadsQueries() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-reuse");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(16).withBackgroundCompaction(false))) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 40_000; i++) {
                b.add("s", TagSet.of(Map.of("host", "h" + (i % 4))), i, i); // value == timestamp
            }
            db.write(b);
            db.compact(true);
            for (int round = 0; round < 60; round++) {
                ScanCursor c = db.scan(new ScanRequest("s", TimeRange.ALL, TagPredicate.ALL, true, true, 3));
                java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
                java.util.concurrent.CountDownLatch stepping = new java.util.concurrent.CountDownLatch(1);
                Thread stepper = new Thread(() -> {
                    try {
                        while (c.next()) {
                            stepping.countDown();
                            PointBatch batch = c.batch();
                            for (int i = 0; i < batch.size(); i++) {
                                if (batch.timestamps()[i] != (long) batch.values()[i]) {
                                    throw new AssertionError("point " + batch.timestamps()[i] + " read as " + batch.values()[i]);
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    } finally {
                        stepping.countDown();
                    }
                });
                stepper.start();
                stepping.await();
                c.close(); // on this thread, while the other steps the cursor
                for (int k = 0; k < 10; k++) { // this thread's next queries decode blocks meanwhile
                    try (ScanCursor d = db.scan(new ScanRequest("s", new TimeRange(20_000, 40_000), TagPredicate.ALL, true, true, 4096))) {
                        while (d.next()) {
                            assertThat(d.batch().size()).isPositive();
                        }
                    }
                }
                stepper.join();
                assertThat(failure.get()).as("round %d", round).isNull();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Every point of the scan as two entries: its timestamp shifted left (even), its value's bits shifted left plus one (odd). */
    private static List<Long> points(ScanCursor c) {
        List<Long> out = new ArrayList<>();
        try (c) {
            while (c.next()) {
                add(c.batch(), out);
            }
        }
        return out;
    }

    private static void add(PointBatch b, List<Long> out) {
        for (int i = 0; i < b.size(); i++) {
            out.add(b.timestamps()[i] << 1);
            out.add(Double.doubleToRawLongBits(b.values()[i]) << 1 | 1);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
