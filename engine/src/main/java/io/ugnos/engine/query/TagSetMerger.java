package io.ugnos.engine.query;

import io.ugnos.engine.segment.DecodedBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Merges the chunks of one tag set from every source into one ascending, duplicate-free run.
 *
 * <p>Chunks are sorted by start time and swept into clusters of transitively overlapping chunks. A
 * cluster of one chunk (the normal case after compaction) is emitted straight from its decoded
 * block, trimmed to the range, or answered from its header by aggregates. Only overlapping clusters
 * (fresh level-0 data) pay for a k-way merge, in which the highest-priority source wins on equal
 * timestamps.
 */
final class TagSetMerger {
    private static final Comparator<Chunk> BY_START = Comparator.comparingLong((Chunk c) -> c.minTs)
            .thenComparingInt(c -> c.priority);

    private final QueryStats stats;
    private final List<Chunk> chunks = new ArrayList<>();
    private int next; // first chunk of the next cluster
    long lo;
    long hi;

    // the current cluster
    int clusterFrom;
    int clusterTo;
    long clusterMaxTs;

    // output of materialize(): points [outFrom, outTo) of outTs/outValues
    long[] outTs;
    double[] outValues;
    int outFrom;
    int outTo;
    // after materializeRegular() returned true: point i is at regularFirst + i * regularDelta
    long regularFirst;
    long regularDelta;

    /** The decode buffers, taken from the thread's spare ones until {@link #release}. */
    private DecodedBlock block = DecodedBlock.take();
    // the arrays the last load() exposed
    private long[] viewTs;
    private double[] viewValues;
    private long[] mergeTs = new long[0];
    private double[] mergeValues = new double[0];

    TagSetMerger(QueryStats stats) {
        this.stats = stats;
    }

    /**
     * Gives the decode buffers back for the thread's next query. Only on the thread that made this
     * merger, and only when no other thread uses it: it is not used after this.
     */
    void release() {
        DecodedBlock b = block;
        block = null;
        viewTs = null;
        viewValues = null;
        outTs = null;
        outValues = null;
        if (b != null) {
            DecodedBlock.give(b);
        }
    }

    void reset(long lo, long hi) {
        chunks.clear();
        next = 0;
        this.lo = lo;
        this.hi = hi;
    }

    void add(Chunk c) {
        chunks.add(c);
    }

    void sealChunks() {
        chunks.sort(BY_START);
    }

    /** Advances to the next cluster; false when the tag set is exhausted. */
    boolean nextCluster() {
        if (next >= chunks.size()) {
            return false;
        }
        clusterFrom = next;
        long end = chunks.get(next).maxTs;
        int i = next + 1;
        while (i < chunks.size() && chunks.get(i).minTs <= end) {
            end = Math.max(end, chunks.get(i).maxTs);
            i++;
        }
        clusterTo = i;
        clusterMaxTs = end;
        next = i;
        return true;
    }

    /** The earliest timestamp of the current cluster (chunks are sorted by start). */
    long clusterMinTs() {
        return chunks.get(clusterFrom).minTs;
    }

    /** The segment blocks of the current cluster: what skipping it saves decoding. */
    int clusterBlocks() {
        int n = 0;
        for (int i = clusterFrom; i < clusterTo; i++) {
            n += chunks.get(i).hasHeader() ? 1 : 0;
        }
        return n;
    }

    /** The single chunk of the current cluster, or null when it has several. */
    Chunk single() {
        return clusterTo - clusterFrom == 1 ? chunks.get(clusterFrom) : null;
    }

    /** Decodes and merges the current cluster, trimmed to [lo, hi], into the out* fields. */
    void materialize(boolean needTs, boolean needValues) {
        Chunk only = single();
        if (only != null) {
            boolean inside = only.minTs >= lo && only.maxTs <= hi;
            int off = load(only, clusterFrom, needTs || !inside, needValues);
            outTs = viewTs;
            outValues = viewValues;
            outFrom = off;
            outTo = off + only.count;
            if (!inside) {
                outFrom = lowerBound(outTs, outFrom, outTo, lo);
                outTo = upperBound(outTs, outFrom, outTo, hi);
            }
            return;
        }
        mergeCluster(needValues);
    }

    /**
     * Materializes the current cluster as {@code materialize(true, needValues)} does, except that
     * when it is one segment block of two or more points inside [lo, hi] whose timestamps are
     * REGULAR, they are not decoded: then it returns true, {@code outTs} is null and point
     * {@code i} of {@code [outFrom, outTo)} is at {@code regularFirst + i * regularDelta}. The
     * first and last of them are checked against the block's index entry (else they are decoded).
     * A decoded block of 360 points costs 0.1-0.3 µs of timestamps and as much again to find the
     * points of a bucket or of a filter among them; the caller computes where they fall instead.
     */
    boolean materializeRegular(boolean needValues) {
        Chunk only = single();
        if (only == null || only.segment == null || only.count < 2 || only.minTs < lo || only.maxTs > hi) {
            materialize(true, needValues);
            return false;
        }
        loadBlock(only, clusterFrom, true, needValues, true);
        outValues = viewValues;
        outFrom = 0;
        outTo = only.count;
        if (block.isRegular) {
            long first = block.regular[0];
            long delta = block.regular[1];
            if (delta > 0 && first == only.minTs && (only.maxTs - first) / delta == only.count - 1
                    && (only.maxTs - first) % delta == 0) { // maxTs - first >= 0: no overflow
                outTs = null;
                regularFirst = first;
                regularDelta = delta;
                return true;
            }
            stats.blocksDecoded--; // counted again by the decoding read
            stats.pointsDecoded -= only.count;
            loadBlock(only, clusterFrom, true, needValues, false); // disagrees with its entry: as materialize would
        }
        outTs = viewTs;
        return false;
    }

    /** After {@link #materializeRegular} returned true: computes the timestamps it left undecoded into {@code outTs}. */
    void fillRegularTs() {
        long[] ts = viewTs;
        long t = regularFirst;
        for (int i = 0; i < outTo; i++) {
            ts[i] = t;
            t += regularDelta;
        }
        outTs = ts;
    }

    private void mergeCluster(boolean needValues) {
        // group the cluster's chunks by source: each source's chunks are disjoint and ordered
        List<Chunk> cluster = new ArrayList<>(chunks.subList(clusterFrom, clusterTo));
        cluster.sort(Comparator.comparingInt((Chunk c) -> -c.priority).thenComparingLong(c -> c.minTs));
        int total = 0;
        for (Chunk c : cluster) {
            total += c.count;
        }
        long[] ts = new long[total];
        double[] vs = new double[total];
        List<int[]> runs = new ArrayList<>(); // {from, to} per source, in descending priority
        int pos = 0;
        int i = 0;
        while (i < cluster.size()) {
            int prio = cluster.get(i).priority;
            int from = pos;
            for (; i < cluster.size() && cluster.get(i).priority == prio; i++) {
                Chunk c = cluster.get(i);
                int off = load(c, -1, true, needValues);
                int a = lowerBound(viewTs, off, off + c.count, lo);
                int b = upperBound(viewTs, a, off + c.count, hi);
                System.arraycopy(viewTs, a, ts, pos, b - a);
                if (needValues) {
                    System.arraycopy(viewValues, a, vs, pos, b - a);
                }
                pos += b - a;
            }
            runs.add(new int[]{from, pos});
        }
        if (mergeTs.length < pos) {
            mergeTs = new long[pos];
            mergeValues = new double[pos];
        }
        int k = runs.size();
        int[] head = new int[k];
        int[] end = new int[k];
        for (int r = 0; r < k; r++) {
            head[r] = runs.get(r)[0];
            end[r] = runs.get(r)[1];
        }
        int n = 0;
        while (true) {
            int best = -1;
            long bestTs = 0;
            for (int r = 0; r < k; r++) { // runs are in descending priority: the first minimum wins ties
                if (head[r] < end[r] && (best < 0 || ts[head[r]] < bestTs)) {
                    best = r;
                    bestTs = ts[head[r]];
                }
            }
            if (best < 0) {
                break;
            }
            mergeTs[n] = bestTs;
            mergeValues[n] = vs[head[best]];
            n++;
            for (int r = 0; r < k; r++) {
                if (head[r] < end[r] && ts[head[r]] == bestTs) {
                    head[r]++;
                }
            }
        }
        outTs = mergeTs;
        outValues = mergeValues;
        outFrom = 0;
        outTo = n;
    }

    /**
     * Makes the points of {@code c} visible through viewTs/viewValues; returns the offset of its
     * first point. {@code index}: c's place in the sorted chunks, whose following blocks of the
     * same segment are read ahead with it (-1: none).
     */
    private int load(Chunk c, int index, boolean needTs, boolean needValues) {
        if (c.segment != null) {
            loadBlock(c, index, needTs, needValues, false);
            return 0;
        }
        viewTs = c.memTs;
        viewValues = c.memValues;
        return c.memOff;
    }

    /** {@link #load} of a segment chunk; with {@code regularUndecoded}, REGULAR timestamps are not decoded. */
    private void loadBlock(Chunk c, int index, boolean needTs, boolean needValues, boolean regularUndecoded) {
        int last = c.block;
        // the blocks the next clusters will want, looked for only when this one must be read
        boolean ahead = index >= 0 && !c.segment.inWindow(c.block, block);
        for (int j = index + 1; ahead && j < chunks.size(); j++) {
            Chunk d = chunks.get(j);
            if (d.segment != c.segment || d.block != last + 1) {
                break;
            }
            last++;
        }
        c.segment.readBlock(c.block, last, block, needTs, needValues, regularUndecoded);
        stats.blocksDecoded++;
        stats.pointsDecoded += c.count;
        viewTs = block.ts;
        viewValues = block.values;
    }

    static int lowerBound(long[] a, int from, int to, long key) {
        if (from >= to || a[from] >= key) {
            return from;
        }
        int i = Arrays.binarySearch(a, from, to, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i > from && a[i - 1] == key) {
            i--;
        }
        return i;
    }

    static int upperBound(long[] a, int from, int to, long key) {
        if (from >= to || a[to - 1] <= key) {
            return to;
        }
        int i = Arrays.binarySearch(a, from, to, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i < to - 1 && a[i + 1] == key) {
            i++;
        }
        return i + 1;
    }
}
