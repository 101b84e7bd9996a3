package io.ugnos.engine.query;

/**
 * A run of points of one tag set, ascending in time: columnar arrays valid in {@code [0, size)}.
 * The arrays are reused (or replaced by larger ones) by the cursor on its next call; copy what must
 * outlive it.
 *
 * <p>The arrays grow to what the cursor puts in them, up to the request's batch size: a scan of one
 * tag set's 360 points no longer allocates and zeroes the default 4,096 (64 KB, about 4 µs of a
 * 7 µs one-block scan).
 */
public final class PointBatch {
    private static final long[] NO_TS = new long[0];
    private static final double[] NO_VALUES = new double[0];

    int tagSetId;
    long[] ts = NO_TS;
    double[] values = NO_VALUES;
    int size;
    private final int capacity;

    PointBatch(int capacity) {
        this.capacity = capacity;
    }

    /** Makes the arrays hold at least {@code n} points ({@code n} at most the capacity), keeping none of their contents. */
    void ensure(int n) {
        if (ts.length < n) {
            int len = Math.min(capacity, Math.max(n, 2 * ts.length));
            ts = new long[len];
            values = new double[len];
        }
    }

    public int tagSetId() {
        return tagSetId;
    }

    public long[] timestamps() {
        return ts;
    }

    public double[] values() {
        return values;
    }

    public int size() {
        return size;
    }
}
