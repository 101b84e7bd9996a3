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
        MultiAggregateRequest multi = new MultiAggregateRequest(r.range(), r.tags(), r.bucketWidth(), r.bucketOrigin(),
                r.groupBy(), List.of(new MultiAggregateRequest.Member(r.series(), r.functions())));
        MultiAggregateResult m = aggregate(multi, List.of(new SeriesData(catalog, watermark, memory)), version);
        List<AggregateRow> rows = new ArrayList<>(m.size());
        for (int g = 0; g < m.size(); g++) {
            AggregateRow row = m.row(0, g);
            if (row != null) {
                rows.add(row);
            }
        }
        return new AggregateResult(r, rows, m.stats());
    }

    /**
     * What a member series of an aggregate reads: its catalog, its retention watermark and its
     * in-memory runs under the pinned version.
     */
    public record SeriesData(SeriesCatalog catalog, long watermark, List<MemoryRun.Source> memory) {
    }

    /**
     * Computes the aggregates of several series merged by (group, bucket); {@code data} holds one
     * entry per member, in order. The caller holds the version pin for the duration of the call.
     */
    public static MultiAggregateResult aggregate(MultiAggregateRequest r, List<SeriesData> data, Version version) {
        QueryStats stats = new QueryStats();
        int n = r.members().size();
        Map<List<String>, GroupBuckets> groups = new HashMap<>();
        int expect = expectedBuckets(r);
        java.util.Set<AggFn> asked = java.util.EnumSet.noneOf(AggFn.class);
        for (MultiAggregateRequest.Member member : r.members()) {
            asked.addAll(member.functions());
        }
        // an open or very long range says nothing of how many buckets hold points: start small there
        // accumulators only for the members with functions: a presence-only member just adds slots
        int[] column = new int[n];
        int columns = 0;
        for (int m = 0; m < n; m++) {
            column[m] = r.members().get(m).presenceOnly() ? -1 : columns++;
        }
        Accumulators acc = new Accumulators(column, expect < MAX_EXPECTED_BUCKETS ? expect : 16, asked);
        TagSetMerger merger = new TagSetMerger(stats); // its decode buffers serve every member in turn
        // members with functions first: a presence-only member then skips what they already found
        List<Integer> order = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            if (!r.members().get(m).presenceOnly()) {
                order.add(m);
            }
        }
        for (int m = 0; m < n; m++) {
            if (r.members().get(m).presenceOnly()) {
                order.add(m);
            }
        }
        long[] rangeStarts = new long[n]; // the row label without buckets: each member's raised start
        try {
            for (int m : order) {
                SeriesData d = data.get(m);
                TimeRange range = r.range().withFloor(d.watermark());
                if (range == null) {
                    continue;
                }
                rangeStarts[m] = range.start();
                aggregateMember(r, m, r.members().get(m).functions(), d, range, version, groups, acc, expect, merger, stats);
            }
        } finally {
            merger.release();
        }
        List<List<String>> keys = new ArrayList<>(groups.keySet());
        keys.sort(AggregateResult.GROUP_ORDER);
        int total = 0;
        for (GroupBuckets gb : groups.values()) {
            total += gb.size();
        }
        List<List<String>> rowGroups = new ArrayList<>(total);
        long[] rowBuckets = new long[total];
        int[] rowSlots = new int[total];
        int i = 0;
        // groups sorted once, then each group's buckets as primitive longs (sorting rows with
        // ROW_ORDER compared tag lists per comparison)
        for (List<String> key : keys) {
            GroupBuckets gb = groups.get(key);
            long[] starts = gb.sortedStarts();
            int[] slots = gb.sortedSlots(starts);
            for (int k = 0; k < starts.length; k++) {
                rowGroups.add(key);
                rowBuckets[i] = r.bucketWidth() == 0 ? r.range().start() : starts[k];
                rowSlots[i] = slots[k];
                i++;
            }
        }
        return new MultiAggregateResult(r, rowGroups, rowBuckets, rowSlots, acc, rangeStarts, stats);
    }

    /** Most buckets sized for before the first point: a wide range of fine buckets grows as points arrive. */
    private static final int MAX_EXPECTED_BUCKETS = 4096;

    /** Bucket-table entries presized across a call's groups: beyond them a group's table starts small and grows. */
    private static final int PRESIZED_BUCKETS_PER_CALL = 1 << 18;

    /**
     * The buckets to presize the table of the call's next group for, {@code groups} having tables
     * already: the range's buckets while the call's presized tables stay under a budget, else a
     * few. A high-cardinality group-by (a device per group, each with a point or two) would
     * otherwise reserve the whole range's buckets per group: 2,000 such groups over an open range
     * allocated 190 MB.
     */
    static int presize(int groups, int expect) {
        return (long) (groups + 1) * expect <= PRESIZED_BUCKETS_PER_CALL ? expect : 8;
    }

    /** The buckets one group can have: the range's span in buckets, or one without buckets. */
    static int expectedBuckets(MultiAggregateRequest r) {
        long w = r.bucketWidth();
        if (w == 0) {
            return 1;
        }
        long span = r.range().end() - r.range().start();
        if (span < 0) { // overflowed: a range wider than half the long line
            return MAX_EXPECTED_BUCKETS;
        }
        return (int) Math.min(MAX_EXPECTED_BUCKETS, span / w + 2); // + 2: a bucket cut at each end
    }

    private static void aggregateMember(MultiAggregateRequest r, int member, java.util.Set<AggFn> functions, SeriesData d,
                                        TimeRange range, Version version, Map<List<String>, GroupBuckets> groups,
                                        Accumulators acc, int expect, TagSetMerger merger, QueryStats stats) {
        String series = r.members().get(member).series();
        long lo = range.start();
        long hi = range.end();
        RoaringBitmap ids = d.catalog().resolve(r.tags());
        SeriesSources sources = new SeriesSources(series, lo, hi, version, d.memory(), stats);
        // without buckets every member keys its rows alike, whatever its retention raised its start to
        Buckets buckets = new Buckets(r.bucketWidth(), r.bucketOrigin(), r.range().start());
        boolean presence = functions.isEmpty();
        int col = acc.column[member]; // -1 for a presence-only member, which never adds to an accumulator
        // COUNT alone (a latest-points window) needs timestamps only
        boolean values = !presence && !functions.equals(java.util.Set.of(AggFn.COUNT));
        boolean sums = functions.contains(AggFn.SUM) || functions.contains(AggFn.AVG);
        boolean mins = functions.contains(AggFn.MIN);
        boolean maxes = functions.contains(AggFn.MAX);
        var it = ids.getIntIterator();
        while (it.hasNext()) {
            int id = it.next();
            stats.tagSetsMatched++;
            merger.reset(lo, hi);
            sources.collect(id, merger);
            GroupBuckets accs = groups.computeIfAbsent(groupKey(d.catalog().tagSet(id), r.groupBy()),
                    k -> new GroupBuckets(presize(groups.size(), expect)));
            while (merger.nextCluster()) {
                if (presence) {
                    presence(merger, buckets, accs, acc, lo, hi, stats);
                    continue;
                }
                Chunk only = merger.single();
                if (only != null && only.hasHeader() && only.minTs >= lo && only.maxTs <= hi) {
                    long b = buckets.of(only.minTs);
                    if (b == buckets.of(only.maxTs)) {
                        BlockTable t = only.segment.blocks();
                        int k = only.block;
                        acc.add(accs.getOrAdd(b, acc), col, t.count(k), t.sum(k), t.min(k), t.max(k),
                                t.first(k), t.minTs(k), t.last(k), t.maxTs(k));
                        stats.blocksFromHeaders++;
                        continue;
                    }
                }
                if (merger.materializeRegular(values)
                        && buckets.regularRuns(merger.regularFirst + merger.outFrom * merger.regularDelta, merger.regularDelta)) {
                    addRegularRuns(merger.regularFirst, merger.regularDelta, merger.outValues, merger.outFrom, merger.outTo,
                            buckets, accs, acc, col, values, sums, mins, maxes);
                } else {
                    if (merger.outTs == null) {
                        merger.fillRegularTs(); // regular, but its runs are not all alike
                    }
                    addRuns(merger.outTs, merger.outValues, merger.outFrom, merger.outTo, buckets, accs, acc, col,
                            values, sums, mins, maxes);
                }
            }
        }
    }

    /**
     * Adds points {@code [from, to)} of one tag set, ascending in time, to their buckets: one bucket
     * lookup and one accumulator update per run of points in a bucket, not per point. Called once
     * per decoded cluster, so that the JIT compiles this loop as a method of its own rather than
     * on-stack inside the member's loop over clusters (no difference in speed was measurable).
     *
     * <p>Only the first run's bucket is computed from its timestamp (a division); each next run's is
     * usually the bucket after ({@link Buckets#next}). A run's bucket always differs from the one
     * before, since a run ends where its bucket does.
     */
    private static void addRuns(long[] ts, double[] vs, int from, int to, Buckets buckets, GroupBuckets accs,
                                Accumulators acc, int col, boolean values, boolean sums, boolean mins, boolean maxes) {
        if (from >= to) {
            return;
        }
        long b = buckets.of(ts[from]);
        for (int i = from; i < to; ) {
            int j = buckets.runEnd(ts, i, to, b);
            addRun(accs.getOrAdd(b, acc), col, acc, vs, i, j, ts[i], ts[j - 1], values, sums, mins, maxes);
            i = j;
            if (i < to) {
                b = buckets.next(b, ts[i]);
            }
        }
    }

    /**
     * Adds points {@code [i, j)} (the run of one bucket, first at {@code firstTs}, last at
     * {@code lastTs}) to entry ({@code cur}, {@code col}).
     */
    private static void addRun(int cur, int col, Accumulators acc, double[] vs, int i, int j, long firstTs, long lastTs,
                               boolean values, boolean sums, boolean mins, boolean maxes) {
        if (values) {
            // only what was asked for: the NaN-aware min/max cost more than the sum
            double sum = 0;
            double min = vs[i];
            double max = vs[i];
            if (mins && maxes) {
                for (int k = i; k < j; k++) {
                    double v = vs[k];
                    sum += v;
                    min = BlockStats.min(min, v);
                    max = BlockStats.max(max, v);
                }
            } else if (maxes) { // TSBS's MAX per minute: the NaN-aware minimum is not free
                for (int k = i; k < j; k++) {
                    double v = vs[k];
                    sum += v;
                    if (v > max) {
                        max = v;
                    }
                }
                // Math.max's answer unless a NaN (the sum is NaN then) or -0.0 kept over a later 0.0
                if (sum != sum || Double.doubleToRawLongBits(max) == NEGATIVE_ZERO_BITS) {
                    max = maxOf(vs, i, j);
                }
            } else if (mins) {
                for (int k = i; k < j; k++) {
                    double v = vs[k];
                    sum += v;
                    min = BlockStats.min(min, v);
                }
            } else if (sums) {
                for (int k = i; k < j; k++) {
                    sum += vs[k];
                }
            }
            acc.add(cur, col, j - i, sum, min, max, vs[i], firstTs, vs[j - 1], lastTs);
        } else {
            acc.add(cur, col, j - i, 0, 0, 0, 0, firstTs, 0, lastTs);
        }
    }

    /**
     * {@link #addRuns} of a block with REGULAR timestamps, undecoded: point {@code k} is at
     * {@code first + k * delta}, and every bucket (a multiple of delta wide,
     * {@link Buckets#regularRuns}) holds the same number of points but the first and the last. So
     * where each run ends is known without a comparison: one division for the first run, none after.
     */
    private static void addRegularRuns(long first, long delta, double[] vs, int from, int to, Buckets buckets,
                                       GroupBuckets accs, Accumulators acc, int col, boolean values, boolean sums,
                                       boolean mins, boolean maxes) {
        if (from >= to) {
            return;
        }
        long perBucket = buckets.width / delta;
        long t = first + from * delta;
        long b = buckets.of(t);
        long end = b + buckets.width; // the first bucket's end
        long firstRun = (end - t - 1) / delta + 1; // b <= t < end: the points before end
        int j = end < b || firstRun >= to - from ? to : from + (int) firstRun;
        for (int i = from; ; ) {
            addRun(accs.getOrAdd(b, acc), col, acc, vs, i, j, first + i * delta, first + (j - 1) * delta,
                    values, sums, mins, maxes);
            if (j == to) {
                return;
            }
            i = j;
            b += buckets.width; // point i lies in the next bucket: it is at most delta <= width past the last end
            end = b + buckets.width;
            j = end < b || perBucket >= to - i ? to : i + (int) perBucket; // compared, not added: a width near 2^63 of 1 ns points
        }
    }

    private static final long NEGATIVE_ZERO_BITS = Double.doubleToRawLongBits(-0.0);

    /** {@link BlockStats#max} of {@code vs[from..to)}, {@code from < to}. */
    private static double maxOf(double[] vs, int from, int to) {
        double max = vs[from];
        for (int k = from + 1; k < to; k++) {
            max = BlockStats.max(max, vs[k]);
        }
        return max;
    }

    /**
     * A presence-only member's cluster: adds the (group, bucket)s it has points in. Its points lie
     * in [cluster start, cluster end] ∩ [lo, hi]; when every bucket of that span is already there,
     * it adds none, and is passed over from the index entries alone. A block inside the range and
     * one bucket adds that bucket from its entry. Else its timestamps (never its values) are decoded.
     */
    private static void presence(TagSetMerger merger, Buckets buckets, GroupBuckets accs, Accumulators acc, long lo, long hi,
                                 QueryStats stats) {
        long from = Math.max(merger.clusterMinTs(), lo);
        long to = Math.min(merger.clusterMaxTs, hi);
        if (covered(accs, buckets, from, to)) {
            stats.blocksFromHeaders += merger.clusterBlocks();
            return;
        }
        Chunk only = merger.single();
        if (only != null && only.hasHeader() && only.minTs >= lo && only.maxTs <= hi) {
            long b = buckets.of(only.minTs);
            if (b == buckets.of(only.maxTs)) {
                accs.getOrAdd(b, acc);
                stats.blocksFromHeaders++;
                return;
            }
        }
        merger.materialize(true, false);
        long[] ts = merger.outTs;
        int end = merger.outTo;
        for (int i = merger.outFrom; i < end; ) {
            long b = buckets.of(ts[i]);
            accs.getOrAdd(b, acc);
            i = buckets.runEnd(ts, i, end, b);
        }
    }

    /** The most buckets of one cluster's span checked one by one before decoding it is cheaper. */
    private static final long MAX_COVER_CHECK = 4096;

    /** Whether every bucket that a point in [from, to] can fall in is in {@code accs}. */
    static boolean covered(GroupBuckets accs, Buckets buckets, long from, long to) {
        if (from > to) {
            return true; // the range leaves no point of the cluster
        }
        long first = buckets.of(from);
        long last = buckets.of(to);
        if (first == Long.MIN_VALUE || last == Long.MIN_VALUE) {
            return false; // clamped buckets are not a lattice to walk
        }
        if (first == last) {
            return accs.get(first) >= 0;
        }
        long span = last - first; // both are origin + k * width: a multiple of the width
        if (span < 0 || span / buckets.width > MAX_COVER_CHECK) {
            return false;
        }
        return accs.hasAll(first, last, buckets.width);
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
        final long width;
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
            // a few points per bucket (a minute of 10 s points) is the common case: look at them
            // one by one before searching the rest of the cluster
            int probe = Math.min(to - 1, from + 8);
            for (int j = from + 1; j <= probe; j++) {
                if (ts[j] >= end) {
                    return j;
                }
            }
            int lo = probe + 1;
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

        /**
         * Whether points {@code delta} apart (delta > 0) from {@code first} on fall in runs of the
         * same length, but the first and the last: the buckets are a multiple of delta wide, and
         * none is clamped to the first instant (only the earliest can be).
         */
        boolean regularRuns(long first, long delta) {
            return width > 0 && width % delta == 0 && of(first) != Long.MIN_VALUE;
        }

        /**
         * The bucket of {@code ts}, which lies past bucket {@code b} (the bucket of an earlier
         * instant): the bucket after {@code b} when {@code ts} falls in it, without a division, else
         * {@link #of}.
         */
        long next(long b, long ts) {
            if (width != 0 && b != Long.MIN_VALUE) {
                long n = b + width;
                if (n > b && ts >= n) {
                    long end = n + width;
                    if (end < n || ts < end) { // past the last instant, bucket n holds every later one
                        return n;
                    }
                }
            }
            return of(ts);
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

}
