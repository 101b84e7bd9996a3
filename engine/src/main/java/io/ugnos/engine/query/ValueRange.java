package io.ugnos.engine.query;

/**
 * A range of point values a scan keeps, such as {@code > 90} or {@code [10, 20)}; pushed into the
 * scan so that blocks whose header bounds rule every point out are skipped without being decoded.
 *
 * <p>Comparisons are Java's {@code <}/{@code >} (as the family table's field comparisons have always
 * been evaluated): NaN is in no bounded range, and
 * {@link #ALL} keeps every value, NaN included. Block headers ({@link io.ugnos.engine.segment.BlockStats})
 * hold a max that is NaN when any value is NaN and a min that ignores NaN unless all are NaN; a
 * NaN bound never skips a block, so skipping stays conservative.
 *
 * @param lo          lower bound, or {@code Double.NEGATIVE_INFINITY} with {@code loInclusive} for none
 * @param loInclusive whether {@code lo} itself is kept
 * @param hi          upper bound, or {@code Double.POSITIVE_INFINITY} with {@code hiInclusive} for none
 * @param hiInclusive whether {@code hi} itself is kept
 */
public record ValueRange(double lo, boolean loInclusive, double hi, boolean hiInclusive) {
    /** Every value, NaN included: no filtering. */
    public static final ValueRange ALL = new ValueRange(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);

    public ValueRange {
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new IllegalArgumentException("value range bounds must not be NaN: [" + lo + ", " + hi + "]");
        }
    }

    /** Values above {@code bound} (or equal to it when {@code inclusive}). */
    public static ValueRange above(double bound, boolean inclusive) {
        return new ValueRange(bound, inclusive, Double.POSITIVE_INFINITY, true);
    }

    /** Values below {@code bound} (or equal to it when {@code inclusive}). */
    public static ValueRange below(double bound, boolean inclusive) {
        return new ValueRange(Double.NEGATIVE_INFINITY, true, bound, inclusive);
    }

    /** The values both ranges keep. */
    public ValueRange intersect(ValueRange o) {
        if (isAll()) {
            return o;
        }
        if (o.isAll()) {
            return this;
        }
        double l = lo;
        boolean li = loInclusive;
        if (o.lo > l || (o.lo == l && !o.loInclusive)) {
            l = o.lo;
            li = o.loInclusive;
        }
        double h = hi;
        boolean hin = hiInclusive;
        if (o.hi < h || (o.hi == h && !o.hiInclusive)) {
            h = o.hi;
            hin = o.hiInclusive;
        }
        return new ValueRange(l, li, h, hin);
    }

    /** Whether this is {@link #ALL} (no filtering, NaN kept). */
    public boolean isAll() {
        return loInclusive && hiInclusive && lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY;
    }

    /** Whether the scan keeps a point of value {@code v}. */
    public boolean test(double v) {
        if (isAll()) {
            return true;
        }
        return (loInclusive ? v >= lo : v > lo) && (hiInclusive ? v <= hi : v < hi);
    }

    /**
     * Whether a block whose header says its values lie in [min, max] can hold no kept value. False
     * whenever a bound is NaN (the block holds a NaN and the header cannot tell).
     */
    boolean excludesBlock(double min, double max) {
        if (isAll()) {
            return false;
        }
        boolean belowLo = loInclusive ? max < lo : max <= lo;
        boolean aboveHi = hiInclusive ? min > hi : min >= hi;
        return belowLo || aboveHi;
    }
}
