package io.ugnos.engine.query;

import java.util.List;

/**
 * The answer to a {@link LatestRequest}: one entry per group that has a point in the range, groups in
 * {@link AggregateResult}'s order (nulls first), held in parallel arrays rather than one object per row.
 * Within a group, the point with the latest (earliest) timestamp wins; on a tie between tag sets of one
 * group, the higher tag-set id for the latest and the lower for the earliest, as {@link AggregateRow}'s
 * {@code last} and {@code first}.
 *
 * @param groups the values of the group-by tags per entry, null where a tag set lacks the key
 * @param ts     the timestamp of the chosen point per entry (epoch ns)
 * @param values its value (NaN as stored)
 */
public record LatestResult(LatestRequest request, List<List<String>> groups, long[] ts, double[] values,
                           QueryStats stats) {
    public int size() {
        return groups.size();
    }
}
