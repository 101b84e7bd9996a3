package io.ugnos.engine.memtable;

import io.ugnos.engine.query.MemoryRun;
import io.ugnos.engine.segment.SegmentWriter;

import java.util.Arrays;
import java.util.HashMap;
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
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
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
        int disorderAt = Integer.MAX_VALUE; // first index not strictly after its predecessor
        // one entry per insert: its sequence number and the run length after it (both non-decreasing,
        // because inserts into one series happen under its shard lock, in sequence order)
        long[] chunkSeq = new long[4];
        int[] chunkEnd = new int[4];
        int chunks;
        long[] sortedTs;
        double[] sortedValues;
        int sortedSize;
        int sortedFor = -1; // prefix length the cached sorted view was built for

        void append(long[] t, double[] v, int off, int n, long seq) {
            if (size + n > ts.length) {
                int c = Math.max(size + n, ts.length * 2);
                ts = Arrays.copyOf(ts, c); // readers keep the old arrays, whose prefix never changes
                values = Arrays.copyOf(values, c);
            }
            for (int i = 0; i < n; i++) {
                int at = size + i;
                ts[at] = t[off + i];
                values[at] = v[off + i];
                if (disorderAt == Integer.MAX_VALUE && at > 0 && ts[at] <= ts[at - 1]) {
                    disorderAt = at;
                }
            }
            size += n;
            if (chunks == chunkSeq.length) {
                chunkSeq = Arrays.copyOf(chunkSeq, chunks * 2);
                chunkEnd = Arrays.copyOf(chunkEnd, chunks * 2);
            }
            chunkSeq[chunks] = seq;
            chunkEnd[chunks] = size;
            chunks++;
        }

        /** Length of the prefix written by sequence numbers up to {@code maxSeq}. */
        int visible(long maxSeq) {
            if (chunks == 0 || chunkSeq[chunks - 1] <= maxSeq) {
                return size;
            }
            int lo = 0;
            int hi = chunks;
            while (lo < hi) {
                int m = (lo + hi) >>> 1;
                if (chunkSeq[m] <= maxSeq) {
                    lo = m + 1;
                } else {
                    hi = m;
                }
            }
            return lo == 0 ? 0 : chunkEnd[lo - 1];
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

    /** The lock guarding a shard; writers hold it around {@link #insert}. */
    public java.util.concurrent.locks.ReentrantLock lock(int shard) {
        return shards[shard].lock;
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
        r.append(ts, values, off, n, seq);
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

    /** The sorted, duplicate-free view of the first {@code n} points of a run; the caller holds its shard lock. */
    private View view(Run r, int n) {
        if (n <= r.disorderAt) {
            return new View(r.ts, r.values, n);
        }
        if (r.sortedFor != n) {
            long[] t = Arrays.copyOf(r.ts, n);
            double[] v = Arrays.copyOf(r.values, n);
            r.sortedSize = RunOrder.sortDedup(t, v, n);
            r.sortedTs = t;
            r.sortedValues = v;
            r.sortedFor = n;
        }
        return new View(r.sortedTs, r.sortedValues, r.sortedSize);
    }

    private View view(String series, int tagSetId, long maxSeq) {
        Shard sh = shards[shardOf(series)];
        sh.lock.lock();
        try {
            Runs runs = sh.series.get(series);
            if (runs == null || tagSetId >= runs.byId.length || runs.byId[tagSetId] == null) {
                return null;
            }
            Run r = runs.byId[tagSetId];
            return view(r, r.visible(maxSeq));
        } finally {
            sh.lock.unlock();
        }
    }

    /**
     * This memtable's points of {@code series} written by sequence numbers up to {@code maxSeq}: a
     * query sees whole batches, never part of one that was being inserted when it started.
     */
    public MemoryRun.Source source(String series, long maxSeq) {
        return (tagSetId, lo, hi, sink) -> {
            View v = view(series, tagSetId, maxSeq);
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
            sh.lock.lock();
            try {
                all.putAll(sh.series);
            } finally {
                sh.lock.unlock();
            }
        }
        for (Map.Entry<String, Runs> e : all.entrySet()) {
            long wm = watermark.applyAsLong(e.getKey());
            Run[] byId = e.getValue().byId;
            boolean begun = false;
            for (int id = 0; id < byId.length; id++) {
                Run r = byId[id];
                if (r == null || r.size == 0) {
                    continue;
                }
                View v;
                Shard sh = shards[shardOf(e.getKey())];
                sh.lock.lock();
                try {
                    v = view(r, r.size);
                } finally {
                    sh.lock.unlock();
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
        }
    }
}
