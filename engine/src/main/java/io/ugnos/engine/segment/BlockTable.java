package io.ugnos.engine.segment;

import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.ByteReader;

import java.util.Arrays;

/**
 * The per-block headers of a segment in struct-of-arrays form: no object per block, so that the
 * index of a large segment stays compact and pruning loops run over primitive arrays.
 */
public final class BlockTable {
    long[] offset;
    int[] length;
    int[] count;
    long[] minTs;
    long[] maxTs;
    double[] min;
    double[] max;
    double[] sum;
    double[] first;
    double[] last;
    private int size;

    public BlockTable() {
        this(16);
    }

    /** Room for {@code capacity} blocks before the arrays grow (a reader knows a bound from the index length). */
    public BlockTable(int capacity) {
        int c = Math.max(16, capacity);
        offset = new long[c];
        length = new int[c];
        count = new int[c];
        minTs = new long[c];
        maxTs = new long[c];
        min = new double[c];
        max = new double[c];
        sum = new double[c];
        first = new double[c];
        last = new double[c];
    }

    public int size() {
        return size;
    }

    void add(long off, int len, int n, long lo, long hi, double mn, double mx, double s, double f, double l) {
        if (size == offset.length) {
            int c = size * 2;
            offset = Arrays.copyOf(offset, c);
            length = Arrays.copyOf(length, c);
            count = Arrays.copyOf(count, c);
            minTs = Arrays.copyOf(minTs, c);
            maxTs = Arrays.copyOf(maxTs, c);
            min = Arrays.copyOf(min, c);
            max = Arrays.copyOf(max, c);
            sum = Arrays.copyOf(sum, c);
            first = Arrays.copyOf(first, c);
            last = Arrays.copyOf(last, c);
        }
        offset[size] = off;
        length[size] = len;
        count[size] = n;
        minTs[size] = lo;
        maxTs[size] = hi;
        min[size] = mn;
        max[size] = mx;
        sum[size] = s;
        first[size] = f;
        last[size] = l;
        size++;
    }

    void write(int b, EncodeBuffer out) {
        out.writeLong(offset[b]);
        out.writeInt(length[b]);
        out.writeInt(count[b]);
        out.writeLong(minTs[b]);
        out.writeLong(maxTs[b]);
        out.writeDouble(min[b]);
        out.writeDouble(max[b]);
        out.writeDouble(sum[b]);
        out.writeDouble(first[b]);
        out.writeDouble(last[b]);
    }

    void read(ByteReader in) {
        add(in.i64(), in.i32(), in.i32(), in.i64(), in.i64(), in.f64(), in.f64(), in.f64(), in.f64(), in.f64());
    }

    public long offset(int b) {
        return offset[b];
    }

    public int length(int b) {
        return length[b];
    }

    public int count(int b) {
        return count[b];
    }

    public long minTs(int b) {
        return minTs[b];
    }

    public long maxTs(int b) {
        return maxTs[b];
    }

    public double min(int b) {
        return min[b];
    }

    public double max(int b) {
        return max[b];
    }

    public double sum(int b) {
        return sum[b];
    }

    public double first(int b) {
        return first[b];
    }

    public double last(int b) {
        return last[b];
    }

    /**
     * The first of blocks {@code [from, to)} (one run: ascending and disjoint in time) that ends at or
     * after {@code ts}; {@code to} if none.
     */
    public int firstEndingAtOrAfter(int from, int to, long ts) {
        int a = from;
        int b = to;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (maxTs(m) < ts) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        return a;
    }

    /**
     * The last of blocks {@code [from, to)} (one run: ascending and disjoint in time) that starts at or
     * before {@code ts}; {@code from - 1} if none.
     */
    public int lastStartingAtOrBefore(int from, int to, long ts) {
        int a = from;
        int b = to;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (minTs(m) <= ts) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        return a - 1;
    }
}
