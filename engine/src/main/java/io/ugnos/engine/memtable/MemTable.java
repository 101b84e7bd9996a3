package io.ugnos.engine.memtable;

import io.ugnos.engine.query.MemoryRun;
import io.ugnos.engine.segment.SegmentWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent writes held in memory until they are flushed into a level-0 segment. Sharded by series:
 * writers of different series take different locks. Points are appended to per-(series, tag set)
 * runs and never changed in place, so a query can read a run's arrays up to the length it saw
 * without holding a lock; a run that received points out of order or twice is sorted (and the
 * later duplicate kept) on demand, and the sorted copy is cached until the run grows.
 */
public final class MemTable {
    private static final int SHARDS = 16;
    /** Approximate heap cost of one point (timestamp + value), for the flush threshold. */
    public static final int BYTES_PER_POINT = 16;

    private final Shard[] shards = new Shard[SHARDS];
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong minSeq = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxSeq = new AtomicLong(Long.MIN_VALUE);
    private final long createdNanos = System.nanoTime();
    private final long walNumber;

    private static final class Shard {
        final Map<String, Runs> series = new HashMap<>();
    }

    /** The runs of one series, indexed by tag-set id. */
    private static final class Runs {
        Run[] byId = new Run[8];
    }

    private static final class Run {
        long[] ts = new long[16];
        double[] values = new double[16];
        int size;
        boolean ordered = true; // strictly ascending so far: the arrays are their own sorted view
        long[] sortedTs;
        double[] sortedValues;
        int sortedSize;
        int sortedFor = -1; // size the cached sorted view was built for

        void append(long[] t, double[] v, int off, int n) {
            if (size + n > ts.length) {
                int c = Math.max(size + n, ts.length * 2);
                ts = Arrays.copyOf(ts, c); // readers keep the old arrays, whose prefix never changes
                values = Arrays.copyOf(values, c);
            }
            if (ordered && (size > 0 && t[off] <= ts[size - 1])) {
                ordered = false;
            }
            for (int i = 0; i < n; i++) {
                ts[size + i] = t[off + i];
                values[size + i] = v[off + i];
                if (ordered && i > 0 && t[off + i] <= t[off + i - 1]) {
                    ordered = false;
                }
            }
            size += n;
        }
    }

    /** @param walNumber the WAL file holding this memtable's records */
    public MemTable(long walNumber) {
        this.walNumber = walNumber;
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new Shard();
        }
    }

    public long walNumber() {
        return walNumber;
    }

    /** Index of the shard (and lock) of {@code series}; writers lock shards in ascending order. */
    public static int shardOf(String series) {
        return (series.hashCode() & 0x7fffffff) % SHARDS;
    }

    /** The lock object guarding a shard. */
    public Object lock(int shard) {
        return shards[shard];
    }

    public static int shardCount() {
        return SHARDS;
    }

    /**
     * Appends points {@code ts/values[off..off+n)} of (series, tag set); the caller holds the series'
     * shard lock. Order and duplicates are resolved when the run is read (later append wins).
     */
    public void insert(String series, int tagSetId, long[] ts, double[] values, int off, int n, long seq) {
        if (n == 0) {
            return;
        }
        Shard sh = shards[shardOf(series)];
        Runs runs = sh.series.computeIfAbsent(series, s -> new Runs());
        if (tagSetId >= runs.byId.length) {
            runs.byId = Arrays.copyOf(runs.byId, Math.max(tagSetId + 1, runs.byId.length * 2));
        }
        Run r = runs.byId[tagSetId];
        if (r == null) {
            r = new Run();
            runs.byId[tagSetId] = r;
        }
        r.append(ts, values, off, n);
        bytes.addAndGet((long) n * BYTES_PER_POINT);
        minSeq.accumulateAndGet(seq, Math::min);
        maxSeq.accumulateAndGet(seq, Math::max);
    }

    public long bytes() {
        return bytes.get();
    }

    public boolean isEmpty() {
        return bytes.get() == 0;
    }

    public long minSeq() {
        return minSeq.get();
    }

    public long maxSeq() {
        return maxSeq.get();
    }

    public long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    /** A sorted, duplicate-free view of a run, valid while the memtable lives. */
    private record View(long[] ts, double[] values, int size) {
    }

    private View view(Run r) {
        if (r.ordered) {
            return new View(r.ts, r.values, r.size);
        }
        if (r.sortedFor != r.size) {
            long[] t = Arrays.copyOf(r.ts, r.size);
            double[] v = Arrays.copyOf(r.values, r.size);
            int n = RunOrder.sortDedup(t, v, r.size);
            r.sortedTs = t;
            r.sortedValues = v;
            r.sortedSize = n;
            r.sortedFor = r.size;
        }
        return new View(r.sortedTs, r.sortedValues, r.sortedSize);
    }

    private View view(String series, int tagSetId) {
        Shard sh = shards[shardOf(series)];
        synchronized (sh) {
            Runs runs = sh.series.get(series);
            if (runs == null || tagSetId >= runs.byId.length || runs.byId[tagSetId] == null) {
                return null;
            }
            return view(runs.byId[tagSetId]);
        }
    }

    /** This memtable's points of {@code series}, as queries see them. */
    public MemoryRun.Source source(String series) {
        return (tagSetId, lo, hi, sink) -> {
            View v = view(series, tagSetId);
            if (v == null || v.size() == 0) {
                return;
            }
            int a = lowerBound(v.ts(), v.size(), lo);
            int b = a;
            while (b < v.size() && v.ts()[b] <= hi) {
                b++;
            }
            if (b > a) {
                sink.accept(v.ts(), v.values(), a, b - a);
            }
        };
    }

    private static int lowerBound(long[] a, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (a[m] < key) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo;
    }

    /**
     * Writes everything into {@code w}: series in name order, tag sets in id order, points sorted and
     * deduplicated, those below {@code watermark(series)} left out. Call once the memtable is immutable.
     */
    public void writeTo(SegmentWriter w, java.util.function.ToLongFunction<String> watermark) {
        TreeMap<String, Runs> all = new TreeMap<>();
        for (Shard sh : shards) {
            synchronized (sh) {
                all.putAll(sh.series);
            }
        }
        for (Map.Entry<String, Runs> e : all.entrySet()) {
            long wm = watermark.applyAsLong(e.getKey());
            List<int[]> nonEmpty = new ArrayList<>();
            Run[] byId = e.getValue().byId;
            boolean begun = false;
            for (int id = 0; id < byId.length; id++) {
                Run r = byId[id];
                if (r == null || r.size == 0) {
                    continue;
                }
                View v;
                synchronized (shards[shardOf(e.getKey())]) {
                    v = view(r);
                }
                int from = lowerBound(v.ts(), v.size(), wm);
                if (from == v.size()) {
                    continue;
                }
                if (!begun) {
                    w.beginSeries(e.getKey());
                    begun = true;
                }
                w.append(id, v.ts(), v.values(), from, v.size() - from);
            }
            if (begun) {
                w.endSeries();
            }
            nonEmpty.clear();
        }
    }
}
