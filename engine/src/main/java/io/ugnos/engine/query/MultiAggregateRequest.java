package io.ugnos.engine.query;

import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.Names;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Aggregates of several series over the same time range, tag predicate, buckets and group-by tags,
 * computed in one call and merged by (group, bucket): the fields of a family, for example. A group
 * of the result exists when any member series has a point in it.
 *
 * <p>A member with no functions is read only to find where it has points (a family's fields that no
 * aggregate reads still make a row): its blocks whose time span maps only to (group, bucket)s the
 * other members already have are passed over from their index entry, and the others are decoded
 * for their timestamps only. Members with functions are computed first, so in data where every
 * series shares its timestamps (TSBS) such a member decodes nothing.
 *
 * <pre>{@code
 * // the maximum per minute of two fields of one host, and the minutes in which a third has points
 * new MultiAggregateRequest(TimeRange.of(t0, t0 + HOUR - 1), TagPredicate.eq("hostname", "host_1"),
 *         60_000_000_000L, 0, List.of(),
 *         List.of(new Member("cpu.usage_user", Set.of(AggFn.MAX)), new Member("cpu.usage_system", Set.of(AggFn.MAX)),
 *                 new Member("cpu.usage_idle", Set.of())));
 * }</pre>
 *
 * @param bucketWidth  bucket width in ns; 0 means one bucket for the whole range
 * @param bucketOrigin a bucket starts at {@code origin + k * width}
 * @param groupBy      tag keys to group by; a tag set lacking a key groups under null
 * @param members      the series, each at most once, in the order of the result's columns
 */
public record MultiAggregateRequest(TimeRange range, TagPredicate tags, long bucketWidth, long bucketOrigin,
                                    List<String> groupBy, List<Member> members) {
    public MultiAggregateRequest {
        if (bucketWidth < 0) {
            throw new InvalidInputException("bucket width must be positive (or 0 for a single bucket), got " + bucketWidth);
        }
        groupBy = List.copyOf(groupBy);
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new InvalidInputException("a multi-series aggregate needs at least one member series");
        }
        Set<String> seen = new HashSet<>();
        for (Member m : members) {
            if (!seen.add(m.series())) {
                throw new InvalidInputException("series '" + m.series() + "' is a member of the aggregate twice; "
                        + "ask for all its functions in one member");
            }
        }
    }

    /**
     * One series of the call.
     *
     * @param functions what the caller reads of the series' rows (see {@link AggregateRequest#functions()});
     *                  empty: the series only says which groups exist, and has no rows of its own
     */
    public record Member(String series, Set<AggFn> functions) {
        public Member {
            Names.checkSeries(series);
            functions = Set.copyOf(functions);
        }

        public boolean presenceOnly() {
            return functions.isEmpty();
        }
    }

    /** The single-series request of member {@code i}. */
    AggregateRequest request(int i) {
        Member m = members.get(i);
        return new AggregateRequest(m.series(), range, tags, bucketWidth, bucketOrigin, m.functions(), groupBy);
    }
}
