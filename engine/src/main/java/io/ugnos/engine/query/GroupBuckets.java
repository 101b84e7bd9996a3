package io.ugnos.engine.query;

import java.util.Arrays;

/**
 * The buckets of one group of an aggregate: bucket start → one accumulator slot per series of the
 * call, in an open-addressing table keyed by the primitive start.
 *
 * <p>Not a {@code HashMap<Long, …>}: bucket starts are multiples of the bucket width in ns (a minute
 * is 60·10⁹ = 2¹¹·29,296,875), and {@code Long.hashCode} folded by {@code HashMap} put many of
 * them in the same slot: a profile of a 721-bucket aggregate showed most of the engine's time in
 * {@code HashMap.getNode}'s tree bins and {@code Long.equals}. The keys are mixed here by a
 * multiplicative hash instead.
 */
final class GroupBuckets {
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final int width; // accumulator slots per bucket: one per series of the call
    private long[] keys = new long[16];
    private QueryExecutor.Acc[][] slots = new QueryExecutor.Acc[16][];
    private int size;

    GroupBuckets(int width) {
        this.width = width;
    }

    /** The slots of bucket {@code b}, or null when no series has a point in it yet. */
    QueryExecutor.Acc[] get(long b) {
        int mask = keys.length - 1;
        for (int i = index(b, mask); ; i = (i + 1) & mask) {
            QueryExecutor.Acc[] s = slots[i];
            if (s == null) {
                return null;
            }
            if (keys[i] == b) {
                return s;
            }
        }
    }

    /** The slots of bucket {@code b}, added (all empty) when absent. */
    QueryExecutor.Acc[] getOrAdd(long b) {
        int mask = keys.length - 1;
        int i = index(b, mask);
        for (; slots[i] != null; i = (i + 1) & mask) {
            if (keys[i] == b) {
                return slots[i];
            }
        }
        QueryExecutor.Acc[] s = new QueryExecutor.Acc[width];
        keys[i] = b;
        slots[i] = s;
        if (++size * 2 > keys.length) {
            grow();
        }
        return s;
    }

    int size() {
        return size;
    }

    /** The bucket starts, ascending. */
    long[] sortedStarts() {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (slots[i] != null) {
                out[n++] = keys[i];
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Fibonacci hashing: the product's high bits depend on every bit of the start. */
    private static int index(long b, int mask) {
        return (int) ((b * MIX) >>> (64 - Integer.bitCount(mask))) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        QueryExecutor.Acc[][] oldSlots = slots;
        keys = new long[oldKeys.length * 2];
        slots = new QueryExecutor.Acc[oldKeys.length * 2][];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldSlots[j] != null) {
                int i = index(oldKeys[j], mask);
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                slots[i] = oldSlots[j];
            }
        }
    }
}
