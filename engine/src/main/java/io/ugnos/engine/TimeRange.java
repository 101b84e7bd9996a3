package io.ugnos.engine;

/**
 * A closed interval of epoch-nanosecond timestamps, {@code [start, end]}. Closed at both ends so that
 * every instant, {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} included, can be expressed.
 *
 * <pre>{@code TimeRange lastHour = TimeRange.of(now - 3_600_000_000_000L, now);}</pre>
 */
public record TimeRange(long start, long end) {
    public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);

    public TimeRange {
        if (start > end) {
            throw new InvalidInputException("time range start " + start + " is after its end " + end
                    + " (both inclusive, epoch nanoseconds)");
        }
    }

    public static TimeRange of(long start, long end) {
        return new TimeRange(start, end);
    }

    /** The range {@code [start, endExclusive)}; null when it is empty. */
    public static TimeRange halfOpen(long start, long endExclusive) {
        return endExclusive == Long.MIN_VALUE || start > endExclusive - 1 ? null : new TimeRange(start, endExclusive - 1);
    }

    public boolean contains(long ts) {
        return ts >= start && ts <= end;
    }

    public boolean overlaps(long min, long max) {
        return min <= end && max >= start;
    }

    public boolean covers(long min, long max) {
        return min >= start && max <= end;
    }

    /** This range with its start raised to at least {@code floor}; null when nothing remains. */
    public TimeRange withFloor(long floor) {
        if (floor <= start) {
            return this;
        }
        return floor > end ? null : new TimeRange(floor, end);
    }
}
