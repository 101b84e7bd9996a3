package io.ugnos.engine.query;

import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.Names;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;

import java.util.List;

/**
 * The latest (or earliest) point of one series per group of tag values, within a time range: what
 * {@code last(value, ts)} / {@code first(value, ts)} and {@code MAX(ts)} / {@code MIN(ts)} per
 * group need, answered from the newest (oldest) block of each tag set in each source instead of
 * aggregating every block.
 *
 * <pre>{@code
 * // the latest usage_user of every host
 * new LatestRequest("cpu.usage_user", TimeRange.ALL, TagPredicate.ALL, List.of("hostname"), AggFn.LAST);
 * }</pre>
 *
 * @param groupBy tag keys to group by; a tag set lacking a key groups under null
 * @param end     {@link AggFn#LAST} for the latest point, {@link AggFn#FIRST} for the earliest
 */
public record LatestRequest(String series, TimeRange range, TagPredicate tags, List<String> groupBy, AggFn end) {
    public LatestRequest {
        Names.checkSeries(series);
        if (end != AggFn.FIRST && end != AggFn.LAST) {
            throw new InvalidInputException("a latest-point request asks for FIRST or LAST, got " + end);
        }
        groupBy = List.copyOf(groupBy);
    }

    /** Whether the latest point is asked for (else the earliest). */
    public boolean latest() {
        return end == AggFn.LAST;
    }
}
