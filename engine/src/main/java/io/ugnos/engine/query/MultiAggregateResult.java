package io.ugnos.engine.query;

import java.util.List;

/**
 * The groups of a {@link MultiAggregateRequest} and each member's row in each: group {@code i} is
 * {@code (groups().get(i), buckets()[i])}, ordered by group (nulls first) and then bucket, and
 * {@code row(m, i)} is member {@code m}'s aggregate there, or null when that member has no point in
 * it (always, for a presence-only member).
 *
 * @param buckets bucket starts (epoch ns); without buckets, the request's range start
 */
public record MultiAggregateResult(MultiAggregateRequest request, List<List<String>> groups, long[] buckets,
                                   List<AggregateRow[]> columns, QueryStats stats) {
    public int size() {
        return buckets.length;
    }

    public AggregateRow row(int member, int group) {
        return columns.get(member)[group];
    }
}
