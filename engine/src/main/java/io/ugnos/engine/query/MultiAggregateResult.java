package io.ugnos.engine.query;

import java.util.Arrays;
import java.util.List;

/**
 * The groups of a {@link MultiAggregateRequest} and each member's aggregate in each: group
 * {@code i} is {@code (groups().get(i), buckets()[i])}, ordered by group (nulls first) and then
 * bucket. Member {@code m} has points in group {@code i} when {@code count(m, i) > 0} (never, for a
 * presence-only member); its figures are read in place ({@link #value}, {@link #firstTs},
 * {@link #lastTs}) or as an {@link AggregateRow} ({@link #row}), made on request.
 */
public final class MultiAggregateResult {
    private final MultiAggregateRequest request;
    private final List<List<String>> groups;
    private final long[] buckets;
    private final int[] slots;
    private final Accumulators acc;
    private final long[] rangeStarts;
    private final QueryStats stats;
    /** Per member, the functions it asked for, one bit per {@link AggFn} ordinal. */
    private final int[] asked;

    /**
     * @param slots       per group, its slot in {@code acc}
     * @param rangeStarts per member, the start of its range (raised by its retention): the label of
     *                    its rows when the request has no buckets
     */
    MultiAggregateResult(MultiAggregateRequest request, List<List<String>> groups, long[] buckets, int[] slots,
                         Accumulators acc, long[] rangeStarts, QueryStats stats) {
        this.request = request;
        this.groups = groups;
        this.buckets = buckets;
        this.slots = slots;
        this.acc = acc;
        this.rangeStarts = rangeStarts;
        this.stats = stats;
        this.asked = new int[request.members().size()];
        for (int m = 0; m < asked.length; m++) {
            for (AggFn fn : request.members().get(m).functions()) {
                asked[m] |= 1 << fn.ordinal();
            }
        }
    }

    public MultiAggregateRequest request() {
        return request;
    }

    /** Per group, the values of the group-by tags (null where a tag set lacks the key). */
    public List<List<String>> groups() {
        return groups;
    }

    /** Per group, the bucket start (epoch ns); without buckets, the request's range start. */
    public long[] buckets() {
        return buckets;
    }

    public QueryStats stats() {
        return stats;
    }

    public int size() {
        return buckets.length;
    }

    /** The accumulator entry of (member, group); -1 for a presence-only member, which has none. */
    private int entry(int member, int group) {
        int c = acc.column[member];
        return c < 0 ? -1 : slots[group] * acc.width + c;
    }

    /** The entry of (member, group), which must have points: never so for a presence-only member. */
    private int pointsEntry(int member, int group) {
        int e = entry(member, group);
        if (e < 0) {
            throw new IllegalArgumentException("member " + member + " (" + request.members().get(member).series()
                    + ") is presence-only: it has no points of its own in any group");
        }
        return e;
    }

    /** Points of member {@code member} in group {@code group}: 0 when it has none there. */
    public long count(int member, int group) {
        int e = entry(member, group);
        return e < 0 ? 0 : acc.count[e];
    }

    /**
     * {@code fn} of member {@code member}'s points in group {@code group}, which must have some;
     * NaN for a function other than COUNT that the member did not ask for.
     */
    public double value(int member, int group, AggFn fn) {
        if (fn == AggFn.COUNT) {
            return count(member, group);
        }
        if ((asked[member] & 1 << fn.ordinal()) == 0) {
            return Double.NaN;
        }
        int e = pointsEntry(member, group);
        return switch (fn) {
            case COUNT -> throw new AssertionError("answered above");
            case SUM -> at(acc.sum, e);
            case MIN -> at(acc.min, e);
            case MAX -> at(acc.max, e);
            case AVG -> at(acc.sum, e) / acc.count[e];
            case FIRST -> at(acc.first, e);
            case LAST -> at(acc.last, e);
        };
    }

    /**
     * {@link #value} of member {@code member} in every group at once: {@code out[g]} is {@code fn}
     * of its points in group {@code g}, and {@code none[g]} whether it has none there (then
     * {@code out[g]} is 0). One pass over the accumulators, for a caller reading whole columns.
     */
    public void column(int member, AggFn fn, double[] out, boolean[] none) {
        int c = acc.column[member];
        int w = acc.width;
        long[] count = acc.count;
        double[] from = switch (fn) {
            case SUM, AVG -> acc.sum;
            case MIN -> acc.min;
            case MAX -> acc.max;
            case FIRST -> acc.first;
            case LAST -> acc.last;
            case COUNT -> null;
        };
        // a loop per case, the case decided once: the columns of a 721-row answer in one pass each
        if (c < 0) { // presence-only: no points of its own anywhere
            Arrays.fill(out, 0, buckets.length, 0);
            Arrays.fill(none, 0, buckets.length, true);
        } else if (fn == AggFn.COUNT) {
            for (int g = 0; g < buckets.length; g++) {
                long n = count[slots[g] * w + c];
                none[g] = n == 0;
                out[g] = n;
            }
        } else if ((asked[member] & 1 << fn.ordinal()) == 0 || from.length == 0) {
            for (int g = 0; g < buckets.length; g++) {
                boolean empty = count[slots[g] * w + c] == 0;
                none[g] = empty;
                out[g] = empty ? 0 : Double.NaN;
            }
        } else {
            boolean avg = fn == AggFn.AVG;
            for (int g = 0; g < buckets.length; g++) {
                int e = slots[g] * w + c;
                long n = count[e];
                none[g] = n == 0;
                out[g] = n == 0 ? 0 : avg ? from[e] / n : from[e];
            }
        }
    }

    private static double at(double[] column, int e) {
        return column.length == 0 ? Double.NaN : column[e]; // a column no function of the request reads
    }

    /** Timestamp of member {@code member}'s earliest point in group {@code group}, which must have some. */
    public long firstTs(int member, int group) {
        return acc.firstTs[pointsEntry(member, group)];
    }

    /** Timestamp of member {@code member}'s latest point in group {@code group}, which must have some. */
    public long lastTs(int member, int group) {
        return acc.lastTs[pointsEntry(member, group)];
    }

    /**
     * Member {@code member}'s aggregate in group {@code group}, or null when it has no point there;
     * the figures of functions the member did not ask for are NaN (the sum is its points' sum when
     * it asked for AVG).
     */
    public AggregateRow row(int member, int group) {
        int e = entry(member, group);
        if (e < 0 || acc.count[e] == 0) {
            return null;
        }
        long label = request.bucketWidth() == 0 ? rangeStarts[member] : buckets[group];
        boolean sum = (asked[member] & (1 << AggFn.SUM.ordinal() | 1 << AggFn.AVG.ordinal())) != 0;
        return new AggregateRow(label, groups.get(group), acc.count[e], sum ? acc.sum[e] : Double.NaN,
                value(member, group, AggFn.MIN), value(member, group, AggFn.MAX), value(member, group, AggFn.FIRST),
                acc.firstTs[e], value(member, group, AggFn.LAST), acc.lastTs[e]);
    }
}
