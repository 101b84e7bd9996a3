package io.ugnos.engine.memtable;

import io.ugnos.engine.query.MemoryRun;

/**
 * A sorted, duplicate-free run of {@code size} points in {@code count} consecutive slices: slice
 * {@code c} holds points {@code [start[c], start[c + 1])} of the run (the last one up to
 * {@code size}) at {@code ts[c]/values[c]} from {@code offset[c]}. Every point of a slice is later
 * than every point of the slices before it. The arrays are shared with the run and never change in
 * the part a view covers.
 */
record Slices(long[][] ts, double[][] values, int[] offset, int[] start, int count, int size) {

    /** Points in slice {@code c}. */
    int length(int c) {
        return (c + 1 < count ? start[c + 1] : size) - start[c];
    }

    /** Timestamp of the last point; only when {@code size > 0}. */
    long lastTs() {
        int c = count - 1;
        return ts[c][offset[c] + length(c) - 1];
    }

    /** Hands the points in [lo, hi] to {@code sink}, one call per slice that holds any. */
    void forEachIn(long lo, long hi, MemoryRun.RunSink sink) {
        for (int c = 0; c < count; c++) {
            long[] t = ts[c];
            int from = offset[c];
            int end = from + length(c);
            if (t[end - 1] < lo) {
                continue;
            }
            if (t[from] > hi) {
                return;
            }
            int a = lowerBound(t, from, end, lo);
            int b = a;
            while (b < end && t[b] <= hi) {
                b++;
            }
            if (b > a) {
                sink.accept(t, values[c], a, b - a);
            }
        }
    }

    /** First index in {@code a[from, to)} holding a value at or above {@code key}. */
    static int lowerBound(long[] a, int from, int to, long key) {
        int lo = from;
        int hi = to;
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
}
