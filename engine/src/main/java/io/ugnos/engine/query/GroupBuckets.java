package io.ugnos.engine.query;

import java.util.Arrays;

/**
 * The buckets of one group of an aggregate: bucket start → its slot in the call's
 * {@link Accumulators} (one entry per series of the call), in an open-addressing table keyed by the
 * primitive start. A lookup first tries the start after the one last asked for, in the order the
 * starts were added: every series of a call walks the group's buckets in time order, so past the
 * first series that guess almost always holds and the table is not probed.
 *
 * <p>Not a {@code HashMap<Long, …>}: bucket starts are multiples of the bucket width in ns (a minute
 * is 60·10⁹ = 2¹¹·29,296,875), and {@code Long.hashCode} folded by {@code HashMap} put many of
 * them in the same slot: a profile of a 721-bucket aggregate showed most of the engine's time in
 * {@code HashMap.getNode}'s tree bins and {@code Long.equals}. The keys are mixed here by a
 * multiplicative hash instead.
 */
final class GroupBuckets {
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private long[] keys;
    private int[] index; // the bucket's place in added, plus one (0: empty)
    private int size;
    // the starts in the order they were added, and whether that order is ascending: points arrive
    // in time order per series, so it almost always is, and the result needs no sort (a profile of a
    // 721-bucket aggregate showed 8% of its time sorting the starts)
    private long[] added;
    private int[] addedSlots; // per start in added, its slot in the call's Accumulators
    private boolean ascending = true;
    // the place in added of the last start asked for: the next series of the call walks the same
    // buckets in the same order, so its next start is usually the one after (no hashing)
    private int hint = -1;

    /** @param expect buckets expected (the table grows past it) */
    GroupBuckets(int expect) {
        int n = Integer.highestOneBit(Math.max(8, expect) * 2 - 1) * 2; // a power of two, at most half full
        keys = new long[n];
        index = new int[n];
        added = new long[Math.min(n, 64)];
        addedSlots = new int[added.length];
    }

    /** The slot of bucket {@code b}, or -1 when no series has a point in it yet. */
    int get(long b) {
        int mask = keys.length - 1;
        for (int i = hash(b, mask); ; i = (i + 1) & mask) {
            int s = index[i];
            if (s == 0) {
                return -1;
            }
            if (keys[i] == b) {
                return addedSlots[s - 1];
            }
        }
    }

    /** The slot of bucket {@code b}, added (every member empty) to {@code acc} when absent. */
    int getOrAdd(long b, Accumulators acc) {
        int h = hint + 1;
        if (h < size && added[h] == b) { // the bucket after the last one asked for
            hint = h;
            return addedSlots[h];
        }
        int mask = keys.length - 1;
        int i = hash(b, mask);
        for (; index[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == b) {
                hint = index[i] - 1;
                return addedSlots[hint];
            }
        }
        int s = acc.newSlot();
        keys[i] = b;
        index[i] = size + 1;
        if (size == added.length) {
            added = Arrays.copyOf(added, size * 2);
            addedSlots = Arrays.copyOf(addedSlots, size * 2);
        }
        if (size > 0 && added[size - 1] >= b) {
            ascending = false;
        }
        added[size] = b;
        addedSlots[size] = s;
        hint = size;
        if (++size * 2 > keys.length) {
            grow();
        }
        return s;
    }

    int size() {
        return size;
    }

    /**
     * Whether every bucket {@code first, first + width, …, last} is here ({@code first <= last},
     * both starts of the same lattice, {@code (last - first) / width} not overflowing an int). When
     * the starts were added in ascending order, two binary searches answer it: the strictly
     * ascending starts from {@code first} to {@code last} are all the lattice's starts between them
     * exactly when there are as many of them.
     */
    boolean hasAll(long first, long last, long width) {
        if (!ascending) {
            for (long b = first; ; b += width) {
                if (get(b) < 0) {
                    return false;
                }
                if (b == last) {
                    return true;
                }
            }
        }
        int i = Arrays.binarySearch(added, 0, size, first);
        long span = (last - first) / width;
        return i >= 0 && span < size - i && added[i + (int) span] == last;
    }

    /** The bucket starts, ascending. */
    long[] sortedStarts() {
        long[] out = Arrays.copyOf(added, size);
        if (!ascending) {
            Arrays.sort(out);
        }
        return out;
    }

    /**
     * The slots of {@link #sortedStarts()}, in the same order: read off in the order they were
     * added when that is ascending, else looked up start by start.
     */
    int[] sortedSlots(long[] sortedStarts) {
        if (ascending) {
            return Arrays.copyOf(addedSlots, size);
        }
        int[] out = new int[sortedStarts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(sortedStarts[i]);
        }
        return out;
    }

    /** Fibonacci hashing: the product's high bits depend on every bit of the start. */
    private static int hash(long b, int mask) {
        return (int) ((b * MIX) >>> (64 - Integer.bitCount(mask))) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIndex = index;
        keys = new long[oldKeys.length * 2];
        index = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldIndex[j] != 0) {
                int i = hash(oldKeys[j], mask);
                while (index[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                index[i] = oldIndex[j];
            }
        }
    }
}
