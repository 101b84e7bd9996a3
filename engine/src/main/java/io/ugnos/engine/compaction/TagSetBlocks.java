package io.ugnos.engine.compaction;

import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.SegmentReader;

import java.util.Arrays;
import java.util.List;

/**
 * The blocks of one (series, tag set) in a compaction's inputs, ordered by first timestamp (on a
 * tie, by input priority), leaving out blocks wholly below the retention watermark. Struct of
 * arrays, reused from tag set to tag set.
 */
final class TagSetBlocks {
    int size;
    int[] input = new int[16];
    int[] block = new int[16];
    long[] minTs = new long[16];
    long[] maxTs = new long[16];
    int[] count = new int[16];

    // per input: next block of the tag set and the end of its blocks
    private int[] next = new int[4];
    private int[] end = new int[4];

    /** Loads the blocks of {@code tagSetId} of {@code series} ending at or after {@code watermark}. */
    void load(List<SegmentReader> inputs, String series, int tagSetId, long watermark) {
        size = 0;
        if (next.length < inputs.size()) {
            next = new int[inputs.size()];
            end = new int[inputs.size()];
        }
        for (int i = 0; i < inputs.size(); i++) {
            SegmentReader.SeriesIndex si = inputs.get(i).series(series);
            int pos = si == null ? -1 : si.find(tagSetId);
            next[i] = pos < 0 ? 0 : si.firstBlock(pos);
            end[i] = pos < 0 ? 0 : si.endBlock(pos);
        }
        // k-way merge: the blocks of one input's tag set are already ascending and disjoint
        while (true) {
            int best = -1;
            long bestTs = 0;
            for (int i = 0; i < inputs.size(); i++) {
                if (next[i] < end[i]) {
                    long t = inputs.get(i).blocks().minTs(next[i]);
                    if (best < 0 || t < bestTs) { // strict: the lower (older) input first on a tie
                        best = i;
                        bestTs = t;
                    }
                }
            }
            if (best < 0) {
                return;
            }
            BlockTable t = inputs.get(best).blocks();
            int b = next[best]++;
            if (t.maxTs(b) >= watermark) {
                add(best, b, t.minTs(b), t.maxTs(b), t.count(b));
            }
        }
    }

    private void add(int in, int b, long lo, long hi, int n) {
        if (size == input.length) {
            int c = size * 2;
            input = Arrays.copyOf(input, c);
            block = Arrays.copyOf(block, c);
            minTs = Arrays.copyOf(minTs, c);
            maxTs = Arrays.copyOf(maxTs, c);
            count = Arrays.copyOf(count, c);
        }
        input[size] = in;
        block[size] = b;
        minTs[size] = lo;
        maxTs[size] = hi;
        count[size] = n;
        size++;
    }

    /** End (exclusive) of the cluster of transitively overlapping blocks that starts at {@code from}. */
    int clusterEnd(int from) {
        long hi = maxTs[from];
        int i = from + 1;
        while (i < size && minTs[i] <= hi) {
            hi = Math.max(hi, maxTs[i]);
            i++;
        }
        return i;
    }

    /** Latest timestamp of the blocks {@code [from, to)}. */
    long maxTs(int from, int to) {
        long hi = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
            hi = Math.max(hi, maxTs[i]);
        }
        return hi;
    }
}
