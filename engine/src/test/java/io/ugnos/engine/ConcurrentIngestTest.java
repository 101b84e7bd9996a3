package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several writers on the same series and tag sets, readers checking invariants while they run, and
 * memtable flushes and compactions (background and explicit) underneath; at the end the database
 * must hold exactly the expected points, bit for bit, before and after a close and reopen.
 *
 * <p>Data layout. Writer {@code w} writes {@link #BATCHES} batches. Batch {@code b} adds, to each of
 * the three core series and each of four tag sets (three shared by all writers, with different tag
 * keys, and one owned by {@code w}), {@link #P} new points with keys {@code k = b*P + i}, timestamp
 * {@code T0 + (k*W + w) * STEP}. So writers interleave their timestamps inside the shared tag sets
 * (memtable runs receive out-of-order points) yet never write the same key: "the later write" of a
 * key is always defined, by the one writer that owns it. Timestamps start below zero and cross it.
 * On top of that a batch may hold in-batch duplicates (a junk value added first, the real one last),
 * runs in shuffled order, overwrites of keys of the writer's own earlier batches (each key at most
 * once), a bulk run larger than the memtable in a separate series, special values (NaN with and
 * without payload, -0.0, ±∞) and a rotating durability (SYNC, FLUSH, NONE per write).
 *
 * <p>Reader invariants, checked on every scan of a core series while writers run (queries see batches
 * up to a published sequence number, and each writer's batches are sequenced in its own order, so a
 * scan shows each writer's batches as a prefix {@code 0..k_w-1}):
 * <ul>
 *   <li>within a tag set, timestamps strictly ascend (no duplicates); tag sets come in ascending id;</li>
 *   <li>every point is a key some writer wrote to that tag set, with the value of its original write
 *       or of its overwrite (never a junk in-batch duplicate);</li>
 *   <li>writer {@code w}'s points number exactly {@code k_w * 4P} (batches whole), all of batches
 *       {@code < k_w}; an overwrite is visible iff its batch is {@code < k_w};</li>
 *   <li>{@code k_w} is at least the batches acknowledged before the scan began, at most those
 *       started when it ended, and never decreases from one scan of the series to the next.</li>
 * </ul>
 * Aggregate counts are checked for divisibility, bounds and monotonicity in the same way.
 */
class ConcurrentIngestTest {
    private static final int W = 4;
    private static final int READERS = 2;
    private static final int BATCHES = 1_200;
    private static final int P = 8;
    private static final int SLOTS = 4; // 3 shared tag sets + the writer's own
    private static final long STEP = 1_000_000_000L;
    private static final long T0 = -3_600 * STEP; // timestamps cross zero
    private static final String[] SERIES = {"cpu.user", "cpu.sys", "mem:used"};
    private static final String BULK = "bulk.load";
    private static final int BULK_POINTS = 12_000; // > 256 KiB memtable / 16 bytes per point
    private static final TagSet[] SHARED = {
            TagSet.of("host", "shared-0"),
            TagSet.of("host", "shared-1", "region", "eu"),
            TagSet.of("host", "shared-2", "region", "us", "rack", "r1"),
    };
    private static final Durability[] MODES = Durability.values();

    /** Everything one writer writes and what a key of it must read as. */
    private static final class WriterPlan {
        final int w;
        final TagSet own;
        final List<WriteBatch> batches = new ArrayList<>();
        final long[][][] orig = new long[SERIES.length][SLOTS][BATCHES * P];   // value bits of the first write
        final long[][][] over = new long[SERIES.length][SLOTS][BATCHES * P];   // value bits of the overwrite
        final int[][][] overBatch = new int[SERIES.length][SLOTS][BATCHES * P]; // batch of the overwrite, -1: none
        final TreeMap<Long, Long> bulk = new TreeMap<>(); // final bulk points of this writer

        WriterPlan(int w) {
            this.w = w;
            this.own = TagSet.of("host", "w" + w, "writer", Integer.toString(w));
            for (int[][] a : overBatch) {
                for (int[] b : a) {
                    Arrays.fill(b, -1);
                }
            }
        }

        TagSet tags(int slot) {
            return slot < SHARED.length ? SHARED[slot] : own;
        }

        long expected(int s, int slot, int k) {
            return overBatch[s][slot][k] >= 0 ? over[s][slot][k] : orig[s][slot][k];
        }
    }

    private static long ts(int w, int k) {
        return T0 + ((long) k * W + w) * STEP;
    }

    private static double value(Random r) {
        int c = r.nextInt(200);
        return switch (c) {
            case 0 -> Double.NaN;
            case 1 -> -0.0;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> Double.NEGATIVE_INFINITY;
            case 4 -> Double.longBitsToDouble(0x7ff8_0000_0000_1234L); // quiet NaN with a payload
            case 5 -> Double.longBitsToDouble(0xfff8_0000_0000_0000L); // negative NaN
            case 6 -> Double.MIN_VALUE;
            default -> c < 80 ? (double) r.nextInt(1000) : r.nextDouble() * 100;
        };
    }

    private static WriterPlan plan(int w) {
        WriterPlan p = new WriterPlan(w);
        Random r = new Random(0x5eed_0000L + w);
        for (int s = 0; s < SERIES.length; s++) {
            for (int slot = 0; slot < SLOTS; slot++) {
                for (int k = 0; k < BATCHES * P; k++) {
                    p.orig[s][slot][k] = Double.doubleToRawLongBits(value(r));
                }
            }
        }
        for (int b = 0; b < BATCHES; b++) {
            WriteBatch wb = new WriteBatch();
            for (int s = 0; s < SERIES.length; s++) {
                for (int slot = 0; slot < SLOTS; slot++) {
                    WriteBatch.Run run = wb.run(SERIES[s], p.tags(slot));
                    int[] order = new int[P];
                    for (int i = 0; i < P; i++) {
                        order[i] = i;
                    }
                    if (r.nextInt(4) == 0) {
                        for (int i = P - 1; i > 0; i--) {
                            int j = r.nextInt(i + 1);
                            int t = order[i];
                            order[i] = order[j];
                            order[j] = t;
                        }
                    }
                    for (int i : order) {
                        int k = b * P + i;
                        if (r.nextInt(10) == 0) {
                            run.add(ts(w, k), -12345.678); // in-batch duplicate: the later add wins
                        }
                        run.add(ts(w, k), Double.longBitsToDouble(p.orig[s][slot][k]));
                    }
                }
            }
            if (b > 0 && r.nextBoolean()) { // overwrite a few keys of recent earlier batches (appended out of order)
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    int s = r.nextInt(SERIES.length);
                    int slot = r.nextInt(SLOTS);
                    int from = Math.max(0, b - 30);
                    int k = (from + r.nextInt(b - from)) * P + r.nextInt(P);
                    if (p.overBatch[s][slot][k] >= 0) {
                        continue;
                    }
                    long bits;
                    do {
                        bits = Double.doubleToRawLongBits(value(r));
                    } while (bits == p.orig[s][slot][k]);
                    p.over[s][slot][k] = bits;
                    p.overBatch[s][slot][k] = b;
                    wb.add(SERIES[s], p.tags(slot), ts(w, k), Double.longBitsToDouble(bits));
                }
            }
            if (b % 300 == 150) { // a run bigger than the memtable, rewriting the same keys each time
                WriteBatch.Run run = wb.run(BULK, TagSet.of("writer", Integer.toString(w)));
                for (int j = 0; j < BULK_POINTS; j++) {
                    double v = r.nextInt(8) == 0 ? r.nextGaussian() : b + j;
                    run.add(T0 + j * STEP, v);
                    p.bulk.put(T0 + j * STEP, Double.doubleToRawLongBits(v));
                }
            }
            p.batches.add(wb);
        }
        return p;
    }

    /** Which writer and slot a tag set belongs to: {slot, owner} with owner -1 for shared tag sets. */
    private static int[] slotOf(TagSet t) {
        for (int i = 0; i < SHARED.length; i++) {
            if (SHARED[i].equals(t)) {
                return new int[]{i, -1};
            }
        }
        String writer = t.get("writer");
        if (writer == null) {
            throw new AssertionError("unknown tag set " + t);
        }
        return new int[]{SLOTS - 1, Integer.parseInt(writer)};
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writersReadersFlushesAndCompactionsAgreeWithTheModel(@TempDir Path dir) throws Exception {
        long tStart = System.nanoTime();
        WriterPlan[] plans = new WriterPlan[W];
        for (int w = 0; w < W; w++) {
            plans[w] = plan(w);
        }
        DatabaseOptions options = DatabaseOptions.defaults()
                .withMemtableBytes(256 << 10)
                .withMemtableMaxAgeNanos(200_000_000L)
                .withL0CompactionTrigger(2)
                .withBlockPoints(64)
                .withPartitionWidthNanos(1_800 * STEP);

        AtomicIntegerArray started = new AtomicIntegerArray(W);
        AtomicIntegerArray acked = new AtomicIntegerArray(W);
        AtomicBoolean writersDone = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong scansChecked = new AtomicLong();
        AtomicLong aggregatesChecked = new AtomicLong();
        AtomicInteger explicitFlushes = new AtomicInteger();
        AtomicInteger explicitCompactions = new AtomicInteger();
        Map<String, Long> statsAtEnd;
        double writeSeconds;

        try (Database db = Database.open(dir, options)) {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < W; w++) {
                WriterPlan p = plans[w];
                writers.add(new Thread(() -> {
                    try {
                        for (int b = 0; b < BATCHES; b++) {
                            started.incrementAndGet(p.w);
                            db.write(p.batches.get(b), MODES[(b + p.w) % MODES.length]);
                            acked.incrementAndGet(p.w);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "writer-" + w));
            }
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                int me = r;
                readers.add(new Thread(() -> {
                    int[][] lastK = new int[SERIES.length][W];
                    long[] lastCount = new long[SERIES.length];
                    try {
                        for (int round = me; !writersDone.get(); round++) {
                            int s = round % SERIES.length;
                            if (!db.hasSeries(SERIES[s])) {
                                Thread.onSpinWait();
                                continue;
                            }
                            if (round % 4 == 0) {
                                checkScan(db, s, 0, BATCHES, plans, acked, started, lastK[s]);
                            } else { // a window around the writers' frontier: memtables and fresh segments
                                int frontier = Integer.MAX_VALUE;
                                for (int w = 0; w < W; w++) {
                                    frontier = Math.min(frontier, acked.get(w));
                                }
                                int b1 = Math.max(0, Math.min(frontier - 6 + round % 5, BATCHES - 12));
                                checkScan(db, s, b1, b1 + 12, plans, acked, started, lastK[s]);
                            }
                            scansChecked.incrementAndGet();
                            lastCount[s] = checkAggregate(db, s, acked, started, lastCount[s]);
                            aggregatesChecked.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "reader-" + r));
            }
            Thread maintenance = new Thread(() -> {
                try {
                    for (int i = 0; !writersDone.get(); i++) {
                        Thread.sleep(10);
                        if (i % 2 == 0) {
                            db.flush();
                            explicitFlushes.incrementAndGet();
                        } else {
                            db.compact(false);
                            explicitCompactions.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "maintenance");

            long tWrite = System.nanoTime();
            writers.forEach(Thread::start);
            readers.forEach(Thread::start);
            maintenance.start();
            for (Thread t : writers) {
                t.join(60_000);
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            writersDone.set(true);
            writeSeconds = (System.nanoTime() - tWrite) / 1e9;
            for (Thread t : readers) {
                t.join(30_000);
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            maintenance.join(30_000);
            assertThat(maintenance.isAlive()).isFalse();
            assertThat(errors).as("errors in writer, reader or maintenance threads").isEmpty();
            for (int w = 0; w < W; w++) {
                assertThat(acked.get(w)).isEqualTo(BATCHES);
            }
            assertThat(scansChecked.get()).as("reader scans checked").isPositive();
            assertThat(aggregatesChecked.get()).as("reader aggregates checked").isPositive();

            verify(db, plans, "after the concurrent run (memtable not flushed)");
            statsAtEnd = db.stats().snapshot();
            assertThat(statsAtEnd.get("flushes")).as("memtable flushes").isGreaterThan(explicitFlushes.get());
            assertThat(statsAtEnd.get("compactions")).as("compactions").isPositive();
            assertThat(statsAtEnd.get("compaction_failures")).isZero();
            assertThat(statsAtEnd.get("flush_failures")).isZero();
        }

        try (Database db = Database.open(dir, options)) {
            verify(db, plans, "after close and reopen");
            db.flush();
            db.compact(true);
            verify(db, plans, "after reopen, flush and full compaction");
            assertThat(db.segments()).allSatisfy(d -> assertThat(d.level()).isEqualTo(1));
        }
        try (Database db = Database.open(dir, options)) {
            verify(db, plans, "after a second reopen");
        }
        System.out.printf("ConcurrentIngestTest: writers ran %.1f s; %d scans and %d aggregates checked meanwhile, "
                        + "%d explicit flushes, %d explicit compactions; %.1f s in all; stats at the end of the run %s%n",
                writeSeconds, scansChecked.get(), aggregatesChecked.get(), explicitFlushes.get(), explicitCompactions.get(),
                (System.nanoTime() - tStart) / 1e9, statsAtEnd);
    }

    // ---------------------------------------------------------------- invariants while writing

    /**
     * One scan of core series {@code s} over the keys of batches {@code [b1, b2)} of every writer (a
     * time window aligned to batch boundaries: batch {@code b} of any writer has exactly the timestamps
     * {@code T0 + [b*P*W, (b+1)*P*W) * STEP}), checked as the class comment describes. In a window that
     * a writer's visible prefix ends inside, the window pins {@code k_w} exactly; otherwise only bounds it.
     * {@code lastK[w]} carries the best lower bound on {@code k_w} seen by this reader so far.
     */
    private static void checkScan(Database db, int s, int b1, int b2, WriterPlan[] plans, AtomicIntegerArray acked,
                                  AtomicIntegerArray started, int[] lastK) {
        int[] before = new int[W];
        for (int w = 0; w < W; w++) {
            before[w] = acked.get(w);
        }
        long tLo = T0 + (long) b1 * P * W * STEP;
        long tHi = T0 + (long) b2 * P * W * STEP - 1;
        long[] count = new long[W];
        int[] minBatch = new int[W];
        int[] maxBatch = new int[W];
        int[] maxOverVisible = new int[W];   // highest overwrite batch whose value is seen
        int[] minOverHidden = new int[W];    // lowest overwrite batch whose key still shows the original
        Arrays.fill(minBatch, Integer.MAX_VALUE);
        Arrays.fill(maxBatch, -1);
        Arrays.fill(maxOverVisible, -1);
        Arrays.fill(minOverHidden, Integer.MAX_VALUE);
        int lastId = -1;
        long lastTs = Long.MIN_VALUE;
        String where = SERIES[s] + " [batches " + b1 + ".." + b2 + ")";
        ScanRequest req = b1 == 0 && b2 == BATCHES ? ScanRequest.all(SERIES[s])
                : ScanRequest.of(SERIES[s], TimeRange.of(tLo, tHi), TagPredicate.ALL);
        try (ScanCursor c = db.scan(req)) {
            while (c.next()) {
                PointBatch pb = c.batch();
                int id = pb.tagSetId();
                TagSet tags = c.tagSet(id);
                int[] so = slotOf(tags);
                if (id != lastId) {
                    assertThat(id).as("%s: tag sets in ascending id order", where).isGreaterThan(lastId);
                    lastId = id;
                    lastTs = Long.MIN_VALUE;
                }
                for (int i = 0; i < pb.size(); i++) {
                    long t = pb.timestamps()[i];
                    long bits = Double.doubleToRawLongBits(pb.values()[i]);
                    if (t <= lastTs) {
                        throw new AssertionError(where + " " + tags + ": timestamp " + t + " after " + lastTs
                                + " (duplicate or out of order)");
                    }
                    lastTs = t;
                    long rel = t - T0;
                    if (t < tLo || t > tHi || rel % STEP != 0) {
                        throw new AssertionError(where + " " + tags + ": timestamp " + t + " outside the range or never written");
                    }
                    int w = (int) (rel / STEP % W);
                    int k = (int) (rel / STEP / W);
                    if (so[1] >= 0 && so[1] != w) {
                        throw new AssertionError(where + " " + tags + ": timestamp " + t + " belongs to writer " + w);
                    }
                    WriterPlan p = plans[w];
                    int ob = p.overBatch[s][so[0]][k];
                    if (bits == p.orig[s][so[0]][k]) {
                        if (ob >= 0) {
                            minOverHidden[w] = Math.min(minOverHidden[w], ob);
                        }
                    } else if (ob >= 0 && bits == p.over[s][so[0]][k]) {
                        maxOverVisible[w] = Math.max(maxOverVisible[w], ob);
                    } else {
                        throw new AssertionError(where + " " + tags + " @" + t + ": value bits "
                                + Long.toHexString(bits) + " were never written there (original "
                                + Long.toHexString(p.orig[s][so[0]][k]) + ")");
                    }
                    count[w]++;
                    minBatch[w] = Math.min(minBatch[w], k / P);
                    maxBatch[w] = Math.max(maxBatch[w], k / P);
                }
            }
        }
        for (int w = 0; w < W; w++) {
            int startedAfter = started.get(w);
            String what = where + ", writer " + w;
            assertThat(count[w] % (SLOTS * P)).as("%s: whole batches only (%d points)", what, count[w]).isZero();
            int n = (int) (count[w] / (SLOTS * P)); // batches of the window visible
            // bounds on k_w, the writer's visible prefix
            int kLo = n == 0 ? 0 : b1 + n;
            int kHi = n == b2 - b1 ? Integer.MAX_VALUE : b1 + n;
            if (n > 0) {
                assertThat(minBatch[w]).as("%s: visible batches of the window start at its start", what).isEqualTo(b1);
                assertThat(maxBatch[w]).as("%s: %d batches visible, all of them a prefix", what, n).isEqualTo(b1 + n - 1);
            }
            assertThat(maxOverVisible[w]).as("%s: overwrites visible only from visible batches (< %d)", what, kHi)
                    .isLessThan(kHi);
            assertThat(minOverHidden[w]).as("%s: overwrites from visible batches (< %d) are all visible", what, kLo)
                    .isGreaterThanOrEqualTo(kLo);
            assertThat(kHi).as("%s: visible batches vs acknowledged before the scan", what).isGreaterThanOrEqualTo(before[w]);
            assertThat(kLo).as("%s: visible batches vs started by the end of the scan", what).isLessThanOrEqualTo(startedAfter);
            assertThat(kHi).as("%s: visible batches never decrease", what).isGreaterThanOrEqualTo(lastK[w]);
            lastK[w] = Math.max(lastK[w], Math.max(kLo, before[w]));
        }
    }

    /**
     * Counts of series {@code s}: shared tag sets (one group each) and own tag sets grouped by host,
     * each a multiple of P, within the acknowledged/started bounds, and never decreasing.
     */
    private static long checkAggregate(Database db, int s, AtomicIntegerArray acked, AtomicIntegerArray started,
                                       long lastTotal) {
        long lo = 0;
        for (int w = 0; w < W; w++) {
            lo += acked.get(w);
        }
        TagPredicate p = s % 2 == 0
                ? TagPredicate.or(TagPredicate.present("region"), TagPredicate.eq("host", "shared-0"))
                : TagPredicate.not(TagPredicate.missing("host"));
        List<AggregateRow> rows = db.aggregate(new AggregateRequest(SERIES[s], TimeRange.ALL, p, 600 * STEP, T0,
                Set.of(AggFn.COUNT), List.of("host"))).rows();
        Map<String, Long> byHost = new HashMap<>();
        for (AggregateRow r : rows) {
            byHost.merge(r.group().get(0), r.count(), Long::sum);
        }
        long hi = 0;
        for (int w = 0; w < W; w++) {
            hi += started.get(w);
        }
        long shared = 0;
        for (Map.Entry<String, Long> e : byHost.entrySet()) {
            assertThat(e.getValue() % P).as("%s host %s: count %d is whole batches", SERIES[s], e.getKey(), e.getValue())
                    .isZero();
            if (e.getKey().startsWith("shared-")) {
                shared += e.getValue();
                assertThat(e.getValue()).as("%s %s count", SERIES[s], e.getKey()).isBetween(lo * P, hi * P);
            }
        }
        long sharedTagSets = SHARED.length; // both predicates match every shared tag set
        assertThat(shared).as("%s shared tag sets: count", SERIES[s]).isBetween(lo * P * sharedTagSets, hi * P * sharedTagSets);
        long total = byHost.values().stream().mapToLong(Long::longValue).sum();
        if (s % 2 == 1) {
            assertThat(total).as("%s: every tag set has a host", SERIES[s]).isBetween(lo * P * SLOTS, hi * P * SLOTS);
        }
        assertThat(total).as("%s: aggregate count never decreases", SERIES[s]).isGreaterThanOrEqualTo(lastTotal);
        return total;
    }

    // ---------------------------------------------------------------- exact comparison

    /** The whole expected content: series -> tag set -> ts -> value bits. */
    private static Map<String, Map<TagSet, TreeMap<Long, Long>>> expected(WriterPlan[] plans) {
        Map<String, Map<TagSet, TreeMap<Long, Long>>> out = new TreeMap<>();
        for (WriterPlan p : plans) {
            for (int s = 0; s < SERIES.length; s++) {
                Map<TagSet, TreeMap<Long, Long>> bySeries = out.computeIfAbsent(SERIES[s], x -> new HashMap<>());
                for (int slot = 0; slot < SLOTS; slot++) {
                    TreeMap<Long, Long> pts = bySeries.computeIfAbsent(p.tags(slot), x -> new TreeMap<>());
                    for (int k = 0; k < BATCHES * P; k++) {
                        pts.put(ts(p.w, k), p.expected(s, slot, k));
                    }
                }
            }
            if (!p.bulk.isEmpty()) {
                out.computeIfAbsent(BULK, x -> new HashMap<>()).put(TagSet.of("writer", Integer.toString(p.w)), p.bulk);
            }
        }
        return out;
    }

    private static void verify(Database db, WriterPlan[] plans, String when) {
        Map<String, Map<TagSet, TreeMap<Long, Long>>> want = expected(plans);
        assertThat(db.series()).as("series %s", when).containsExactlyElementsOf(new TreeSet<>(want.keySet()));
        List<String> diffs = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Map<TagSet, TreeMap<Long, Long>>> e : want.entrySet()) {
            String series = e.getKey();
            Map<TagSet, TreeMap<Long, Long>> got = new HashMap<>();
            try (ScanCursor c = db.scan(ScanRequest.all(series))) {
                while (c.next()) {
                    PointBatch b = c.batch();
                    TreeMap<Long, Long> pts = got.computeIfAbsent(c.tagSet(b.tagSetId()), x -> new TreeMap<>());
                    for (int i = 0; i < b.size(); i++) {
                        Long prev = pts.put(b.timestamps()[i], Double.doubleToRawLongBits(b.values()[i]));
                        if (prev != null && diffs.size() < 20) {
                            diffs.add(series + " " + c.tagSet(b.tagSetId()) + " @" + b.timestamps()[i] + ": returned twice");
                        }
                    }
                }
            }
            for (TagSet t : got.keySet()) {
                if (!e.getValue().containsKey(t) && diffs.size() < 20) {
                    diffs.add(series + ": unexpected tag set " + t + " with " + got.get(t).size() + " points");
                }
            }
            for (Map.Entry<TagSet, TreeMap<Long, Long>> te : e.getValue().entrySet()) {
                TreeMap<Long, Long> g = got.getOrDefault(te.getKey(), new TreeMap<>());
                TreeMap<Long, Long> wnt = te.getValue();
                total += wnt.size();
                if (g.size() != wnt.size() && diffs.size() < 20) {
                    diffs.add(series + " " + te.getKey() + ": " + g.size() + " points, expected " + wnt.size());
                }
                for (Map.Entry<Long, Long> pt : wnt.entrySet()) {
                    Long v = g.get(pt.getKey());
                    if (!pt.getValue().equals(v) && diffs.size() < 20) {
                        diffs.add(series + " " + te.getKey() + " @" + pt.getKey() + ": "
                                + (v == null ? "missing" : "bits " + Long.toHexString(v)) + ", expected bits "
                                + Long.toHexString(pt.getValue()));
                    }
                }
                for (Long t : g.keySet()) {
                    if (!wnt.containsKey(t) && diffs.size() < 20) {
                        diffs.add(series + " " + te.getKey() + " @" + t + ": unexpected point");
                    }
                }
                // aggregates over the whole tag set: count, first and last agree with the model
                List<AggregateRow> rows = db.aggregate(new AggregateRequest(series, TimeRange.ALL,
                        eqAll(te.getKey()), 0, 0, Set.of(AggFn.COUNT, AggFn.FIRST, AggFn.LAST), List.of())).rows();
                long count = rows.isEmpty() ? 0 : rows.get(0).count();
                if (count != wnt.size() && diffs.size() < 20) {
                    diffs.add(series + " " + te.getKey() + ": aggregate count " + count + ", expected " + wnt.size());
                } else if (!wnt.isEmpty()) {
                    AggregateRow r = rows.get(0);
                    if ((Double.doubleToRawLongBits(r.first()) != wnt.firstEntry().getValue()
                            || Double.doubleToRawLongBits(r.last()) != wnt.lastEntry().getValue()) && diffs.size() < 20) {
                        diffs.add(series + " " + te.getKey() + ": aggregate first/last bits "
                                + Long.toHexString(Double.doubleToRawLongBits(r.first())) + "/"
                                + Long.toHexString(Double.doubleToRawLongBits(r.last())) + ", expected "
                                + Long.toHexString(wnt.firstEntry().getValue()) + "/"
                                + Long.toHexString(wnt.lastEntry().getValue()));
                    }
                }
            }
        }
        assertThat(diffs).as("differences from the expected content %s (first 20; %d points expected)", when, total)
                .isEmpty();
    }

    /** A predicate matching exactly the tag sets equal to {@code t} among those of this test. */
    private static TagPredicate eqAll(TagSet t) {
        TagPredicate[] terms = new TagPredicate[t.size()];
        for (int i = 0; i < t.size(); i++) {
            terms[i] = TagPredicate.eq(t.key(i), t.value(i));
        }
        return terms.length == 1 ? terms[0] : TagPredicate.and(terms);
    }
}
