package io.ugnos.engine.query;

import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.DecodedBlock;
import io.ugnos.engine.segment.SegmentReader;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a {@link LatestRequest}: per tag set, the latest (earliest) point of each source is read
 * from the header of the run's newest (oldest) block that reaches into the range, or, when the range
 * cuts that block, from the decoded block; the sources' candidates are then compared as a merge
 * would (on equal timestamps the higher-priority source wins: the later write). Neither clusters nor
 * the blocks in between are built or visited, which is what makes {@code lastpoint} cheap.
 *
 * <p>Exactly what {@link QueryExecutor#aggregate} gives as {@code lastTs}/{@code last} (or
 * {@code firstTs}/{@code first}) per group: the range is raised to the retention watermark first,
 * and a run's blocks are ascending and disjoint in time, so the newest block with a point at or
 * below the range end holds the run's latest point in the range.
 */
public final class LatestPoints {
    private final boolean latest;
    private final long lo;
    private final long hi;
    private final List<SegmentReader> readers = new ArrayList<>();
    private final List<SegmentReader.SeriesIndex> indexes = new ArrayList<>();
    private final List<MemoryRun.Source> memory;
    private final QueryStats stats;
    private final DecodedBlock block = new DecodedBlock();

    // the best candidate of the current tag set
    private boolean found;
    private long bestTs;
    private double bestValue;

    private LatestPoints(String series, boolean latest, long lo, long hi, Version version,
                         List<MemoryRun.Source> memory, QueryStats stats) {
        this.latest = latest;
        this.lo = lo;
        this.hi = hi;
        this.memory = memory;
        this.stats = stats;
        for (Version.Entry e : version.entries()) { // ascending priority
            stats.segmentsConsidered++;
            SegmentReader.SeriesIndex si = e.reader().series(series);
            if (si == null || si.maxTs() < lo || si.minTs() > hi) {
                stats.segmentsPruned++;
                continue;
            }
            readers.add(e.reader());
            indexes.add(si);
        }
    }

    /** Computes {@code r}; the caller holds the version pin for the duration of the call. */
    public static LatestResult compute(LatestRequest r, SeriesCatalog catalog, long watermark, Version version,
                                       List<MemoryRun.Source> memory) {
        QueryStats stats = new QueryStats();
        TimeRange range = r.range().withFloor(watermark);
        if (range == null) {
            return new LatestResult(r, List.of(), new long[0], new double[0], stats);
        }
        LatestPoints points = new LatestPoints(r.series(), r.latest(), range.start(), range.end(), version, memory, stats);
        RoaringBitmap ids = catalog.resolve(r.tags());
        Map<List<String>, Integer> slots = new HashMap<>();
        List<List<String>> groups = new ArrayList<>();
        long[] ts = new long[Math.min(ids.getCardinality(), 1024)];
        double[] values = new double[ts.length];
        IntIterator it = ids.getIntIterator();
        while (it.hasNext()) {
            int id = it.next();
            stats.tagSetsMatched++;
            if (!points.find(id)) {
                continue;
            }
            List<String> key = groupKey(catalog.tagSet(id), r.groupBy());
            Integer slot = slots.get(key);
            if (slot == null) {
                slot = groups.size();
                slots.put(key, slot);
                groups.add(key);
                if (slot == ts.length) {
                    ts = Arrays.copyOf(ts, slot * 2 + 1);
                    values = Arrays.copyOf(values, ts.length);
                }
                ts[slot] = points.bestTs;
                values[slot] = points.bestValue;
            } else if (r.latest() ? points.bestTs >= ts[slot] : points.bestTs < ts[slot]) {
                // ids ascend: on a tie the higher id wins the latest, the lower one the earliest
                ts[slot] = points.bestTs;
                values[slot] = points.bestValue;
            }
        }
        return sorted(r, groups, ts, values, stats);
    }

    private static LatestResult sorted(LatestRequest r, List<List<String>> groups, long[] ts, double[] values,
                                       QueryStats stats) {
        int n = groups.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (!r.groupBy().isEmpty()) {
            Arrays.sort(order, (a, b) -> AggregateResult.GROUP_ORDER.compare(groups.get(a), groups.get(b)));
        }
        List<List<String>> g = new ArrayList<>(n);
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            g.add(groups.get(order[i]));
            t[i] = ts[order[i]];
            v[i] = values[order[i]];
        }
        return new LatestResult(r, Collections.unmodifiableList(g), t, v, stats);
    }

    private static List<String> groupKey(TagSet tags, List<String> groupBy) {
        if (groupBy.isEmpty()) {
            return List.of();
        }
        String[] k = new String[groupBy.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = tags.get(groupBy.get(i));
        }
        return Collections.unmodifiableList(Arrays.asList(k));
    }

    /** Finds the latest (earliest) point of {@code tagSetId} in the range into best*; false when it has none. */
    private boolean find(int tagSetId) {
        found = false;
        for (int s = 0; s < readers.size(); s++) { // ascending priority: offer() lets a later source win ties
            SegmentReader.SeriesIndex si = indexes.get(s);
            int pos = si.find(tagSetId);
            if (pos >= 0) {
                if (latest) {
                    newestOf(readers.get(s), si.firstBlock(pos), si.endBlock(pos));
                } else {
                    oldestOf(readers.get(s), si.firstBlock(pos), si.endBlock(pos));
                }
            }
        }
        for (MemoryRun.Source m : memory) {
            m.forEachRun(tagSetId, lo, hi, (ts, values, off, n) -> {
                if (n > 0) {
                    int i = latest ? off + n - 1 : off;
                    offer(ts[i], values[i]);
                }
            });
        }
        return found;
    }

    /** Offers the latest point in [lo, hi] of blocks [from, to) of one run. */
    private void newestOf(SegmentReader reader, int from, int to) {
        BlockTable t = reader.blocks();
        // the last block starting at or before hi
        int a = from;
        int b = to;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (t.minTs(m) <= hi) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        int k = a - 1;
        if (k < from || t.maxTs(k) < lo) {
            return; // every block starts after the range, or the newest one before its end ends before its start
        }
        if (t.maxTs(k) <= hi) {
            stats.blocksFromHeaders++;
            offer(t.maxTs(k), t.last(k));
            return;
        }
        int n = decode(reader, k);
        int i = TagSetMerger.upperBound(block.ts, 0, n, hi) - 1; // >= 0: the block starts at or before hi
        if (block.ts[i] >= lo) {
            offer(block.ts[i], block.values[i]);
        }
    }

    /** Offers the earliest point in [lo, hi] of blocks [from, to) of one run. */
    private void oldestOf(SegmentReader reader, int from, int to) {
        BlockTable t = reader.blocks();
        // the first block ending at or after lo
        int a = from;
        int b = to;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (t.maxTs(m) < lo) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        if (a == to || t.minTs(a) > hi) {
            return;
        }
        if (t.minTs(a) >= lo) {
            stats.blocksFromHeaders++;
            offer(t.minTs(a), t.first(a));
            return;
        }
        int n = decode(reader, a);
        int i = TagSetMerger.lowerBound(block.ts, 0, n, lo); // < n: the block ends at or after lo
        if (block.ts[i] <= hi) {
            offer(block.ts[i], block.values[i]);
        }
    }

    private int decode(SegmentReader reader, int b) {
        reader.readBlock(b, block, true, true);
        stats.blocksDecoded++;
        stats.pointsDecoded += block.size;
        return block.size;
    }

    /** Sources are offered in ascending priority: on an equal timestamp the later offer (the later write) wins. */
    private void offer(long ts, double value) {
        if (!found || (latest ? ts >= bestTs : ts <= bestTs)) {
            found = true;
            bestTs = ts;
            bestValue = value;
        }
    }
}
