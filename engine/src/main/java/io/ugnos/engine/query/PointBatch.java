package io.ugnos.engine.query;

/**
 * A run of points of one tag set, ascending in time: columnar arrays valid in {@code [0, size)}.
 * The arrays are reused by the cursor on its next call; copy what must outlive it.
 */
public final class PointBatch {
    int tagSetId;
    long[] ts;
    double[] values;
    int size;

    PointBatch(int capacity) {
        ts = new long[capacity];
        values = new double[capacity];
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
