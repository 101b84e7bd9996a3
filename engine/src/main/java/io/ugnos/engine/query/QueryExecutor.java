package io.ugnos.engine.query;

import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.BlockStats;
import org.roaringbitmap.RoaringBitmap;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs scans and aggregates of one series over a pinned version (and in-memory runs): resolves the
 * tag predicate through the inverted index, prunes segments and blocks by time, raises the range
 * to the retention watermark, and merges what remains.
 */
public final class QueryExecutor {
    private QueryExecutor() {
    }

    /**
     * Starts a scan. {@code onClose} runs once when the cursor is closed or exhausted (it releases the version pin).
     */
    public static ScanCursor scan(ScanRequest r, SeriesCatalog catalog, long watermark, Version version,
                                  List<MemoryRun.Source> memory, Runnable onClose) {
        QueryStats stats = new QueryStats();
        TimeRange range = r.range().withFloor(watermark);
        if (range == null) {
            return new ScanCursor(r, catalog, null, null, 0, 0, stats, onClose);
        }
        RoaringBitmap ids = catalog.resolve(r.tags());
        SeriesSources sources = new SeriesSources(r.series(), range.start(), range.end(), version, memory, stats);
        return new ScanCursor(r, catalog, sources, ids.getIntIterator(), range.start(), range.end(), stats, onClose);
    }

    /** Computes an aggregate; the caller holds the version pin for the duration of the call. */
    public static AggregateResult aggregate(AggregateRequest r, SeriesCatalog catalog, long watermark, Version version,
                                            List<MemoryRun.Source> memory) {
        QueryStats stats = new QueryStats();
        TimeRange range = r.range().withFloor(watermark);
        if (range == null) {
            return new AggregateResult(r, List.of(), stats);
        }
        long lo = range.start();
        long hi = range.end();
        RoaringBitmap ids = catalog.resolve(r.tags());
        SeriesSources sources = new SeriesSources(r.series(), lo, hi, version, memory, stats);
        Buckets buckets = new Buckets(r.bucketWidth(), r.bucketOrigin(), lo);
        Map<List<String>, Map<Long, Acc>> groups = new HashMap<>();
        TagSetMerger merger = new TagSetMerger(stats);
        // COUNT alone (a family's group existence, a latest-points window) needs timestamps only
        boolean values = !r.functions().equals(java.util.Set.of(AggFn.COUNT));
        boolean sums = r.functions().contains(AggFn.SUM) || r.functions().contains(AggFn.AVG);
        boolean extremes = r.functions().contains(AggFn.MIN) || r.functions().contains(AggFn.MAX);
        var it = ids.getIntIterator();
        while (it.hasNext()) {
            int id = it.next();
            stats.tagSetsMatched++;
            merger.reset(lo, hi);
            sources.collect(id, merger);
            Map<Long, Acc> accs = groups.computeIfAbsent(groupKey(catalog.tagSet(id), r.groupBy()), k -> new HashMap<>());
            long curBucket = 0;
            Acc cur = null;
            while (merger.nextCluster()) {
                Chunk only = merger.single();
                if (only != null && only.hasHeader() && only.minTs >= lo && only.maxTs <= hi) {
                    long b = buckets.of(only.minTs);
                    if (b == buckets.of(only.maxTs)) {
                        BlockTable t = only.segment.blocks();
                        int k = only.block;
                        accs.computeIfAbsent(b, x -> new Acc()).addBlock(t.count(k), t.sum(k), t.min(k), t.max(k),
                                t.first(k), t.minTs(k), t.last(k), t.maxTs(k));
                        stats.blocksFromHeaders++;
                        continue;
                    }
                }
                merger.materialize(true, values);
                long[] ts = merger.outTs;
                double[] vs = merger.outValues;
                int to = merger.outTo;
                // points ascend in time: one bucket computation and one accumulator update per run
                // of points in a bucket, not per point
                for (int i = merger.outFrom; i < to; ) {
                    long b = buckets.of(ts[i]);
                    int j = buckets.runEnd(ts, i, to, b);
                    if (cur == null || b != curBucket) {
                        curBucket = b;
                        cur = accs.computeIfAbsent(b, x -> new Acc());
                    }
                    if (values) {
                        // only what was asked for: the NaN-aware min/max cost more than the sum
                        double sum = 0;
                        double min = vs[i];
                        double max = vs[i];
                        if (extremes) {
                            for (int k = i; k < j; k++) {
                                double v = vs[k];
                                sum += v;
                                min = BlockStats.min(min, v);
                                max = BlockStats.max(max, v);
                            }
                        } else if (sums) {
                            for (int k = i; k < j; k++) {
                                sum += vs[k];
                            }
                        }
                        cur.addBlock(j - i, sum, min, max, vs[i], ts[i], vs[j - 1], ts[j - 1]);
                    } else {
                        cur.addBlock(j - i, 0, 0, 0, 0, ts[i], 0, ts[j - 1]);
                    }
                    i = j;
                }
            }
        }
        // in ROW_ORDER: groups sorted once, then each group's buckets as primitive longs (sorting
        // the rows themselves with ROW_ORDER compared tag lists per comparison)
        List<List<String>> keys = new ArrayList<>(groups.keySet());
        keys.sort(AggregateResult.GROUP_ORDER);
        List<AggregateRow> rows = new ArrayList<>();
        for (List<String> key : keys) {
            Map<Long, Acc> accs = groups.get(key);
            long[] starts = new long[accs.size()];
            int n = 0;
            for (Long b : accs.keySet()) {
                starts[n++] = b;
            }
            Arrays.sort(starts);
            for (long b : starts) {
                Acc a = accs.get(b);
                if (a.count > 0) {
                    rows.add(new AggregateRow(b, key, a.count, a.sum, a.min, a.max, a.first, a.firstTs, a.last, a.lastTs));
                }
            }
        }
        return new AggregateResult(r, rows, stats);
    }

    private static List<String> groupKey(TagSet tags, List<String> groupBy) {
        if (groupBy.isEmpty()) {
            return List.of();
        }
        String[] k = new String[groupBy.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = tags.get(groupBy.get(i));
        }
        return java.util.Collections.unmodifiableList(Arrays.asList(k));
    }

    /** Maps a timestamp to the start of its bucket. */
    static final class Buckets {
        private final long width;
        private final long origin;
        private final long single;

        Buckets(long width, long origin, long rangeStart) {
            this.width = width;
            this.origin = origin;
            this.single = rangeStart;
        }

        /**
         * The end (exclusive) of the run of {@code ts[from..to)}, ascending, that lies in bucket
         * {@code b}, the bucket of {@code ts[from]}.
         */
        int runEnd(long[] ts, int from, int to, long b) {
            if (width == 0) {
                return to;
            }
            if (b == Long.MIN_VALUE) { // a bucket clamped to the first instant: point by point
                int j = from + 1;
                while (j < to && of(ts[j]) == b) {
                    j++;
                }
                return j;
            }
            long end = b + width;
            if (end < b || ts[to - 1] < end) {
                return to; // the bucket reaches past the last instant, or holds the rest
            }
            int lo = from + 1;
            int hi = to - 1; // ts[hi] >= end
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ts[mid] < end) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        long of(long ts) {
            if (width == 0) {
                return single;
            }
            long d = ts - origin;
            if (((ts ^ origin) & (ts ^ d)) < 0) { // ts - origin overflowed: rare extreme timestamps
                BigInteger big = BigInteger.valueOf(ts).subtract(BigInteger.valueOf(origin));
                BigInteger w = BigInteger.valueOf(width);
                BigInteger start = big.subtract(big.mod(w)).add(BigInteger.valueOf(origin));
                return start.max(BigInteger.valueOf(Long.MIN_VALUE)).longValue();
            }
            long start = ts - Math.floorMod(d, width);
            return start > ts ? Long.MIN_VALUE : start; // the bucket begins before the first representable instant
        }
    }

    /** Running aggregate of one (group, bucket). Tag sets arrive in ascending id, points ascending in time. */
    static final class Acc {
        long count;
        double sum;
        double min = Double.NaN;
        double max = Double.NaN;
        double first;
        long firstTs;
        double last;
        long lastTs;

        void addBlock(long n, double s, double mn, double mx, double f, long fTs, double l, long lTs) {
            if (count == 0) {
                min = mn;
                max = mx;
                first = f;
                firstTs = fTs;
                last = l;
                lastTs = lTs;
            } else {
                min = BlockStats.min(min, mn);
                max = BlockStats.max(max, mx);
                if (fTs < firstTs) {
                    first = f;
                    firstTs = fTs;
                }
                if (lTs >= lastTs) {
                    last = l;
                    lastTs = lTs;
                }
            }
            count += n;
            sum += s;
        }
    }
}
