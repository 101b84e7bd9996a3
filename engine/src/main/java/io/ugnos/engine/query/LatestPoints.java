package io.ugnos.engine.query;

import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.DecodedBlock;
import io.ugnos.engine.segment.SegmentReader;

import java.util.ArrayList;
import java.util.List;

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
    private DecodedBlock block; // made when a range cuts a block: headers usually suffice

    // the best candidate of the current tag set
    private boolean found;
    /** Per segment: where the next tag set is looked for first (after the last one found). */
    private final int[] hints;
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
        hints = new int[readers.size()];
    }

    /**
     * Computes {@code requests}, which must share their group-by keys, as the columns of one result;
     * the caller holds the version pin for the duration of the call.
     *
     * @param sources per request: its series' catalog, retention watermark and in-memory runs
     */
    public static LatestResult compute(List<LatestRequest> requests, List<Sources> sources, Version version) {
        LatestResult.Builder out = new LatestResult.Builder(requests.size());
        for (int c = 0; c < requests.size(); c++) {
            LatestRequest r = requests.get(c);
            if (!r.groupBy().equals(requests.get(0).groupBy())) {
                throw new InvalidInputException("latest-point requests computed together must group by the same tags, got "
                        + requests.get(0).groupBy() + " and " + r.groupBy());
            }
            Sources src = sources.get(c);
            TimeRange range = r.range().withFloor(src.watermark());
            if (range != null) {
                new LatestPoints(r.series(), r.latest(), range.start(), range.end(), version, src.memory(), out.stats)
                        .into(out, c, r, src.catalog());
            }
        }
        return out.build();
    }

    /** What a request reads besides the segments: its series' catalog, retention watermark and in-memory runs. */
    public record Sources(SeriesCatalog catalog, long watermark, List<MemoryRun.Source> memory) {
    }

    private void into(LatestResult.Builder out, int column, LatestRequest r, SeriesCatalog catalog) {
        SeriesCatalog.Matches m = catalog.match(r.tags());
        int[] ids = m.ids();
        out.reserve(ids.length);
        List<String> groupBy = r.groupBy();
        int visited = 0; // tag sets of this column with a point so far: the guess for the next one's group
        for (int i = 0; i < ids.length; i++) {
            stats.tagSetsMatched++;
            if (find(ids[i])) {
                // the series of one query usually list their tag sets in the same order, so the
                // n-th group of this column is mostly the n-th group of the first one
                out.offer(column, out.slot(m.tagSets()[i], groupBy, visited++), latest, bestTs, bestValue);
            }
        }
    }

    /** Finds the latest (earliest) point of {@code tagSetId} in the range into best*; false when it has none. */
    private boolean find(int tagSetId) {
        found = false;
        for (int s = 0; s < readers.size(); s++) { // ascending priority: offer() lets a later source win ties
            SegmentReader.SeriesIndex si = indexes.get(s);
            int pos = si.find(tagSetId, hints[s]);
            if (pos >= 0) {
                hints[s] = pos + 1;
                if (latest) {
                    newestOf(readers.get(s), si, pos);
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

    /** Offers the latest point in [lo, hi] of the blocks of tag set {@code pos} of {@code si} (one run). */
    private void newestOf(SegmentReader reader, SegmentReader.SeriesIndex si, int pos) {
        BlockTable t = reader.blocks();
        int from = si.firstBlock(pos);
        int to = si.endBlock(pos);
        SegmentReader.NewestBlocks newest = si.newestBlocks(t);
        if (from < to && newest.minTs()[pos] <= hi) { // the newest block is the one: no search, no read of the block table
            long end = newest.maxTs()[pos];
            if (end < lo) {
                return;
            }
            if (end <= hi) {
                stats.blocksFromHeaders++;
                offer(end, newest.last()[pos]);
                return;
            }
        }
        // the newest block when it starts in the range (its end is past hi, checked above), else a search
        int k = from < to && newest.minTs()[pos] <= hi ? to - 1 : t.lastStartingAtOrBefore(from, to, hi);
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
        int a = t.firstEndingAtOrAfter(from, to, lo);
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
        if (block == null) {
            block = new DecodedBlock();
        }
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
