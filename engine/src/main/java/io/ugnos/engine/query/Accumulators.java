package io.ugnos.engine.query;

import io.ugnos.engine.segment.BlockStats;

import java.util.Arrays;
import java.util.Set;

/**
 * The running aggregates of one aggregate call, (bucket slot, member) by (bucket slot, member), in
 * primitive columns: entry {@code slot * width + member}. Tag sets arrive in ascending id and points
 * ascending in time, so {@code first} keeps the earliest point and {@code last} the latest (on a
 * tie, the later tag set).
 *
 * <p>Only the value columns that the call's functions read are kept; the timestamps of each entry's
 * first and last point always are (MIN(ts)/MAX(ts) read them).
 *
 * <p>Why columns and not an object per entry: a 721-minute, five-series aggregate made 3,605
 * accumulator objects and as many result rows, two thirds of the bytes the statement allocated;
 * the result now reads these arrays in place ({@link MultiAggregateResult}).
 */
final class Accumulators {
    /** Columns per bucket slot: one per member with functions (a presence-only member has none). */
    final int width;
    /** Per member of the call, its column, or -1 for a presence-only member. */
    final int[] column;
    /** Which value columns exist: those the call's functions read (the others have length 0). */
    final boolean sums;
    final boolean mins;
    final boolean maxes;
    final boolean ends;
    private int slots;
    long[] count;
    double[] sum;
    double[] min;
    double[] max;
    double[] first;
    double[] last;
    long[] firstTs;
    long[] lastTs;

    /**
     * An accumulator per (slot, member) for {@code width} members, all with functions.
     *
     * @param expectSlots bucket slots expected (the arrays grow past it by doubling)
     */
    Accumulators(int width, int expectSlots, Set<AggFn> functions) {
        this(java.util.stream.IntStream.range(0, width).toArray(), expectSlots, functions);
    }

    /**
     * @param column      per member, its column ({@code 0..k)} for the k members with functions, in
     *                    order) or -1 for a presence-only member, which only adds slots
     * @param expectSlots bucket slots expected (the arrays grow past it by doubling)
     */
    Accumulators(int[] column, int expectSlots, Set<AggFn> functions) {
        this.column = column;
        int w = 0;
        for (int c : column) {
            w = Math.max(w, c + 1);
        }
        this.width = Math.max(1, w); // a slot keeps a place even when every member is presence-only
        int n = Math.max(1, expectSlots) * width;
        sums = functions.contains(AggFn.SUM) || functions.contains(AggFn.AVG);
        mins = functions.contains(AggFn.MIN);
        maxes = functions.contains(AggFn.MAX);
        ends = functions.contains(AggFn.FIRST) || functions.contains(AggFn.LAST);
        count = new long[n];
        firstTs = new long[n];
        lastTs = new long[n];
        sum = new double[sums ? n : 0];
        min = new double[mins ? n : 0];
        max = new double[maxes ? n : 0];
        first = new double[ends ? n : 0];
        last = new double[ends ? n : 0];
    }

    /** A new bucket slot, every member's entry empty (count 0). */
    int newSlot() {
        if ((slots + 1) * width > count.length) {
            int n = count.length * 2;
            count = Arrays.copyOf(count, n);
            firstTs = Arrays.copyOf(firstTs, n);
            lastTs = Arrays.copyOf(lastTs, n);
            sum = sums ? Arrays.copyOf(sum, n) : sum;
            min = mins ? Arrays.copyOf(min, n) : min;
            max = maxes ? Arrays.copyOf(max, n) : max;
            first = ends ? Arrays.copyOf(first, n) : first;
            last = ends ? Arrays.copyOf(last, n) : last;
        }
        return slots++;
    }

    /** Adds {@code n} points (sum, min, max, first and last point) to entry (slot, column), the column of a member with functions. */
    void add(int slot, int col, long n, double s, double mn, double mx, double f, long fTs, double l, long lTs) {
        int e = slot * width + col;
        if (count[e] == 0) {
            if (mins) {
                min[e] = mn;
            }
            if (maxes) {
                max[e] = mx;
            }
            if (ends) {
                first[e] = f;
                last[e] = l;
            }
            firstTs[e] = fTs;
            lastTs[e] = lTs;
        } else {
            if (mins) {
                min[e] = BlockStats.min(min[e], mn);
            }
            if (maxes) {
                max[e] = BlockStats.max(max[e], mx);
            }
            if (fTs < firstTs[e]) {
                if (ends) {
                    first[e] = f;
                }
                firstTs[e] = fTs;
            }
            if (lTs >= lastTs[e]) {
                if (ends) {
                    last[e] = l;
                }
                lastTs[e] = lTs;
            }
        }
        count[e] += n;
        if (sums) {
            sum[e] += s;
        }
    }
}
