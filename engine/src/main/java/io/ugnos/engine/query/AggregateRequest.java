package io.ugnos.engine.query;

import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.Names;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;

import java.util.List;
import java.util.Set;

/**
 * Aggregates of one series per time bucket and per group of tag values.
 *
 * <pre>{@code
 * // max per minute for one host over an hour
 * new AggregateRequest("cpu.usage_user", TimeRange.of(t0, t0 + HOUR - 1), TagPredicate.eq("hostname", "host_1"),
 *         60_000_000_000L, 0, Set.of(AggFn.MAX), List.of());
 * }</pre>
 *
 * @param bucketWidth  bucket width in ns; 0 means one bucket for the whole range
 * @param bucketOrigin a bucket starts at {@code origin + k * width} (TimescaleDB's {@code time_bucket} origin)
 * @param groupBy      tag keys to group by; a tag set lacking a key groups under null
 * @param functions    what the caller reads of each row: the count and the first/last timestamps are
 *                     always computed, the other values only when asked for (SUM and AVG need the
 *                     sum, MIN the least value, MAX the greatest), else they are unspecified; with
 *                     {@link AggFn#COUNT} alone no value is decoded
 */
public record AggregateRequest(String series, TimeRange range, TagPredicate tags, long bucketWidth, long bucketOrigin,
                               Set<AggFn> functions, List<String> groupBy) {
    public AggregateRequest {
        Names.checkSeries(series);
        if (bucketWidth < 0) {
            throw new InvalidInputException("bucket width must be positive (or 0 for a single bucket), got " + bucketWidth);
        }
        functions = Set.copyOf(functions);
        groupBy = List.copyOf(groupBy);
    }
}
