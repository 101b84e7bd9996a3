package io.ugnos.engine.memtable;

import java.util.Arrays;

/**
 * The points of one (series, tag set) in a memtable, in the order they were written, held in chunks
 * cut from the memtable's {@link PointSlabs}. Appended to under the series' shard lock. A point is
 * never changed once written and a chunk is never moved, so a reader that saw the run at some
 * length can use the chunks up to that length without the lock. A run that received points out of
 * order or twice is sorted (the later duplicate kept) on demand, and the sorted copy is cached
 * until the run grows.
 */
final class PointRun {
    /** Smallest chunk: a run of one point costs no more than this. */
    static final int MIN_CHUNK = 16;
    /** Largest chunk: bounds what the last, partly filled chunk of a run wastes. */
    static final int MAX_CHUNK = 1024;

    // chunk c holds points [start[c], start[c + 1]) of the run (the last one up to capacity)
    private long[][] chunkTs = new long[2][];
    private double[][] chunkValues = new double[2][];
    private int[] chunkOffset = new int[2];
    private int[] chunkStart = new int[2];
    private int chunks;
    private int capacity;
    int size;
    private long lastTs;
    private int disorderAt = Integer.MAX_VALUE; // first index not strictly after its predecessor
    // one entry per insert: its sequence number and the run length after it (both non-decreasing,
    // because inserts into one series happen under its shard lock, in sequence order)
    private long[] insertSeq = new long[4];
    private int[] insertEnd = new int[4];
    private int inserts;
    private Slices sorted; // cached sorted view
    private int sortedFor = -1; // prefix length it was built for

    /**
     * Appends {@code n} points given as interleaved pairs (timestamp at {@code pairs[2i]}, raw value
     * bits at {@code pairs[2i + 1]}), written by sequence number {@code seq}.
     */
    void append(PointSlabs slabs, long[] pairs, int n, long seq) {
        int done = 0;
        while (done < n) {
            if (size == capacity) {
                addChunk(slabs, n - done);
            }
            int c = chunks - 1;
            int k = Math.min(capacity - size, n - done);
            int at = chunkOffset[c] + size - chunkStart[c];
            long[] ts = chunkTs[c];
            double[] vs = chunkValues[c];
            for (int i = 0; i < k; i++) {
                ts[at + i] = pairs[2 * (done + i)];
                vs[at + i] = Double.longBitsToDouble(pairs[2 * (done + i) + 1]);
            }
            checkOrder(ts, at, k);
            size += k;
            done += k;
        }
        if (inserts == insertSeq.length) {
            insertSeq = Arrays.copyOf(insertSeq, inserts * 2);
            insertEnd = Arrays.copyOf(insertEnd, inserts * 2);
        }
        insertSeq[inserts] = seq;
        insertEnd[inserts] = size;
        inserts++;
    }

    private void checkOrder(long[] t, int from, int k) {
        if (disorderAt == Integer.MAX_VALUE) {
            long prev = size == 0 ? Long.MIN_VALUE : lastTs;
            for (int i = 0; i < k; i++) {
                long x = t[from + i];
                if (x <= prev && size + i > 0) {
                    disorderAt = size + i;
                    break;
                }
                prev = x;
            }
        }
        lastTs = t[from + k - 1];
    }

    /** A new chunk for at least part of {@code wanted} more points; chunks grow geometrically up to {@link #MAX_CHUNK}. */
    private void addChunk(PointSlabs slabs, int wanted) {
        int last = chunks == 0 ? 0 : capacity - chunkStart[chunks - 1];
        int points = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.max(wanted, 2 * last)));
        PointSlabs.Chunk c = slabs.cut(points);
        if (chunks == chunkTs.length) {
            int n = chunks * 2;
            chunkTs = Arrays.copyOf(chunkTs, n); // readers keep the old tables, whose prefix never changes
            chunkValues = Arrays.copyOf(chunkValues, n);
            chunkOffset = Arrays.copyOf(chunkOffset, n);
            chunkStart = Arrays.copyOf(chunkStart, n);
        }
        chunkTs[chunks] = c.ts();
        chunkValues[chunks] = c.values();
        chunkOffset[chunks] = c.offset();
        chunkStart[chunks] = capacity;
        chunks++;
        capacity += points;
    }

    /** Length of the prefix written by sequence numbers up to {@code maxSeq}. */
    int visible(long maxSeq) {
        if (inserts == 0 || insertSeq[inserts - 1] <= maxSeq) {
            return size;
        }
        int lo = 0;
        int hi = inserts;
        while (lo < hi) {
            int m = (lo + hi) >>> 1;
            if (insertSeq[m] <= maxSeq) {
                lo = m + 1;
            } else {
                hi = m;
            }
        }
        return lo == 0 ? 0 : insertEnd[lo - 1];
    }

    /** The first {@code n} points, sorted and free of duplicates; the caller holds the shard lock. */
    Slices view(int n) {
        if (n <= disorderAt) {
            int count = 0;
            while (count < chunks && chunkStart[count] < n) {
                count++;
            }
            return new Slices(chunkTs, chunkValues, chunkOffset, chunkStart, count, n);
        }
        if (sortedFor != n) {
            long[] t = new long[n];
            double[] v = new double[n];
            for (int c = 0; c < chunks && chunkStart[c] < n; c++) {
                int len = Math.min(n, c + 1 < chunks ? chunkStart[c + 1] : capacity) - chunkStart[c];
                System.arraycopy(chunkTs[c], chunkOffset[c], t, chunkStart[c], len);
                System.arraycopy(chunkValues[c], chunkOffset[c], v, chunkStart[c], len);
            }
            int m = RunOrder.sortDedup(t, v, n);
            sorted = new Slices(new long[][]{t}, new double[][]{v}, new int[]{0}, new int[]{0}, 1, m);
            sortedFor = n;
        }
        return sorted;
    }
}
