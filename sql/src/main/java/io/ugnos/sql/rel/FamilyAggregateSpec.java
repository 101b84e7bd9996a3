package io.ugnos.sql.rel;

import io.ugnos.engine.query.AggFn;
import io.ugnos.sql.schema.FamilyTable;
import org.apache.calcite.rex.RexNode;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An aggregate over a family table that the engine computes as one multi-series aggregate request
 * (a member per field series, the fields no call reads as presence-only members), merged by group key: {@code GROUP BY} a time bucket and/or tag columns, with aggregates
 * of field columns and the first/last timestamp. Immutable; run by {@link FamilyAggregateRuntime}.
 *
 * @param filters time-range and tag conjuncts over the table's columns, all evaluated exactly by the engine
 * @param keys    the group-by keys in output order (the bucket at most once)
 * @param calls   the aggregates in output order
 */
public record FamilyAggregateSpec(FamilyTable table, FamilyTable.Layout layout, List<RexNode> filters,
                                  List<QuerySpec.Key> keys, List<FieldCall> calls, long widthNanos, long originNanos) {

    public FamilyAggregateSpec {
        filters = List.copyOf(filters);
        keys = List.copyOf(keys);
        calls = List.copyOf(calls);
    }

    public boolean global() {
        return keys.isEmpty();
    }

    public List<String> groupByTags() {
        return keys.stream().filter(k -> k instanceof QuerySpec.TagKey).map(k -> ((QuerySpec.TagKey) k).tag()).toList();
    }

    public boolean hasBucket() {
        return keys.stream().anyMatch(k -> k instanceof QuerySpec.BucketKey);
    }

    /**
     * Whether the aggregate needs only each group's latest and earliest points: no bucket, and every
     * call is {@code first}/{@code last} of a field or {@code MIN}/{@code MAX} of the time (TSBS
     * {@code lastpoint}). Then {@link FamilyAggregateLatest} answers it from one block per tag set.
     */
    public boolean endpointsOnly() {
        return !hasBucket() && calls.stream().allMatch(c -> c.fn() == AggFn.FIRST || c.fn() == AggFn.LAST);
    }

    /**
     * Field numbers that no call reads, which the engine asks only where they have points (a group
     * exists where any field has one); none when a call reads the time ({@code MIN(ts)},
     * {@code MAX(ts)}: over every field) or on the latest-point path.
     */
    public List<Integer> presenceOnlyFields() {
        if (endpointsOnly() || calls.stream().anyMatch(c -> c.field() < 0)) {
            return List.of();
        }
        boolean[] read = new boolean[layout.fields().size()];
        calls.forEach(c -> read[c.field()] = true);
        List<Integer> out = new java.util.ArrayList<>();
        for (int f = 0; f < read.length; f++) {
            if (!read[f]) {
                out.add(f);
            }
        }
        return out;
    }

    /** The series of field number {@code f}. */
    public String series(int f) {
        return table.family() + "." + layout.fields().get(f);
    }

    @Override
    public String toString() {
        return "group=" + keys + ", aggregates=" + calls.stream().map(c -> c.describe(layout)).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * One aggregate: {@code fn} of field number {@code field} (VALUE; {@link AggFn#COUNT} counts the
     * field's points, that is its non-null values), or, with {@code field} -1, the least
     * ({@link AggFn#FIRST}) or greatest ({@link AggFn#LAST}) timestamp of any field (TS, TS_NANOS).
     *
     * @param zeroWhenEmpty SUM0: 0 rather than NULL for a group in which the field has no point
     */
    public record FieldCall(AggFn fn, int field, QuerySpec.Output output, boolean zeroWhenEmpty) {
        public String describe(FamilyTable.Layout layout) {
            if (output != QuerySpec.Output.VALUE) {
                return (fn == AggFn.FIRST ? "MIN(" : "MAX(") + (output == QuerySpec.Output.TS ? "ts)" : "ts_ns)");
            }
            String f = layout.fields().get(field);
            return switch (fn) {
                case FIRST -> "first(" + f + ", ts)";
                case LAST -> "last(" + f + ", ts)";
                case SUM -> (zeroWhenEmpty ? "$SUM0(" : "SUM(") + f + ")";
                default -> fn + "(" + f + ")";
            };
        }
    }
}
