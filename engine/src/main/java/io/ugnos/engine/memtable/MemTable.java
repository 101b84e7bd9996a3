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
 * runs ({@link PointRun}) stored in chunks of large shared arrays ({@link PointSlabs}) and never
 * changed in place, so a query can read a run up to the length it saw without holding a lock; a
 * run that received points out of order or twice is sorted (and the later duplicate kept) on
 * demand, and the sorted copy is cached until the run grows.
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
    private final PointSlabs slabs = new PointSlabs();

    private static final class Shard {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        final Map<String, Runs> series = new HashMap<>();
    }

    /** The runs of one series, indexed by tag-set id. */
    private static final class Runs {
        PointRun[] byId = new PointRun[8];
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
     * Appends {@code n} points of (series, tag set) given as interleaved pairs: timestamp at
     * {@code pairs[2i]}, raw value bits at {@code pairs[2i + 1]} (the layout of a
     * {@link io.ugnos.engine.WriteBatch.Run}); the caller holds the series' shard lock. Order and
     * duplicates are resolved when the run is read (later append wins).
     */
    public void insert(String series, int tagSetId, long[] pairs, int n, long seq) {
        if (n == 0) {
            return;
        }
        Shard sh = shards[shardOf(series)];
        Runs runs = sh.series.computeIfAbsent(series, s -> new Runs());
        if (tagSetId >= runs.byId.length) {
            runs.byId = Arrays.copyOf(runs.byId, Math.max(tagSetId + 1, runs.byId.length * 2));
        }
        PointRun r = runs.byId[tagSetId];
        if (r == null) {
            r = new PointRun();
            runs.byId[tagSetId] = r;
        }
        r.append(slabs, pairs, n, seq);
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

    private Slices view(String series, int tagSetId, long maxSeq) {
        Shard sh = shards[shardOf(series)];
        sh.lock.lock();
        try {
            Runs runs = sh.series.get(series);
            if (runs == null || tagSetId >= runs.byId.length || runs.byId[tagSetId] == null) {
                return null;
            }
            PointRun r = runs.byId[tagSetId];
            return r.view(r.visible(maxSeq));
        } finally {
            sh.lock.unlock();
        }
    }

    /**
     * This memtable's points of {@code series} written by sequence numbers up to {@code maxSeq}: a
     * query sees whole batches, never part of one that was being inserted when it started. A run is
     * handed over in one or more consecutive, ascending pieces (the chunks it is stored in).
     */
    public MemoryRun.Source source(String series, long maxSeq) {
        return (tagSetId, lo, hi, sink) -> {
            Slices v = view(series, tagSetId, maxSeq);
            if (v != null && v.size() > 0) {
                v.forEachIn(lo, hi, sink);
            }
        };
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
            PointRun[] byId = e.getValue().byId;
            boolean begun = false;
            for (int id = 0; id < byId.length; id++) {
                PointRun r = byId[id];
                if (r == null || r.size == 0) {
                    continue;
                }
                Slices v;
                Shard sh = shards[shardOf(e.getKey())];
                sh.lock.lock();
                try {
                    v = r.view(r.size);
                } finally {
                    sh.lock.unlock();
                }
                if (v.lastTs() < wm) {
                    continue;
                }
                if (!begun) {
                    w.beginSeries(e.getKey());
                    begun = true;
                }
                for (int c = 0; c < v.count(); c++) {
                    int from = v.offset()[c];
                    int end = from + v.length(c);
                    int a = Slices.lowerBound(v.ts()[c], from, end, wm);
                    w.append(id, v.ts()[c], v.values()[c], a, end - a);
                }
            }
            if (begun) {
                w.endSeries();
            }
        }
    }
}
