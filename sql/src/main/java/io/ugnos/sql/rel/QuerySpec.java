package io.ugnos.sql.rel;

import io.ugnos.engine.query.AggFn;
import io.ugnos.sql.schema.SeriesTable;
import org.apache.calcite.rex.RexNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything a query asks of one series that the engine does itself: the pushed WHERE conjuncts
 * (over the table's columns), the projected columns, an aggregation per time bucket and tag group,
 * and an ordered limit on time. Immutable; the rules build it up step by step and
 * {@link QueryRuntime} turns it into engine requests when the statement runs, which is when
 * {@code ?} parameters and {@code CURRENT_TIMESTAMP} get their values.
 *
 * @param layout  the table's columns when the plan was made (tag keys can be added later)
 * @param filters conjuncts the engine evaluates, in table column numbers; {@code exact} ones were
 *                removed from the plan, the others only narrow the scan and stay in a Filter above
 * @param columns table columns the query outputs (scans only), in output order
 */
public record QuerySpec(SeriesTable table, SeriesTable.Layout layout, List<RexNode> filters, List<Integer> columns,
                        Aggregation aggregation, Limit limit) {

    public QuerySpec {
        filters = List.copyOf(filters);
        columns = List.copyOf(columns);
    }

    /** A full scan of {@code table}: every column, no filter. */
    public static QuerySpec scanOf(SeriesTable table, SeriesTable.Layout layout) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < layout.columnCount(); i++) {
            all.add(i);
        }
        return new QuerySpec(table, layout, List.of(), all, null, null);
    }

    /** Still a plain scan, to which filters and projections can be added. */
    public boolean isScan() {
        return aggregation == null && limit == null;
    }

    public QuerySpec withFilters(List<RexNode> more) {
        List<RexNode> f = new ArrayList<>(filters);
        f.addAll(more);
        return new QuerySpec(table, layout, f, columns, aggregation, limit);
    }

    public QuerySpec withColumns(List<Integer> cols) {
        return new QuerySpec(table, layout, filters, cols, aggregation, limit);
    }

    public QuerySpec withAggregation(Aggregation a) {
        return new QuerySpec(table, layout, filters, columns, a, limit);
    }

    public QuerySpec withLimit(Limit l) {
        return new QuerySpec(table, layout, filters, columns, aggregation, l);
    }

    /** The name of table column {@code i}. */
    public String columnName(int i) {
        if (layout.isTs(i)) {
            return "ts";
        }
        if (layout.isValue(i)) {
            return "value";
        }
        if (layout.isTsNanos(i)) {
            return "ts_ns";
        }
        return layout.tagKey(i);
    }

    /** An aggregation the engine computes per time bucket and tag group. */
    public record Aggregation(List<Key> keys, List<Call> calls, long widthNanos, long originNanos) {
        public Aggregation {
            keys = List.copyOf(keys);
            calls = List.copyOf(calls);
        }

        /** Whether the query groups by nothing (one row, even over no data). */
        public boolean global() {
            return keys.isEmpty();
        }

        public List<String> groupByTags() {
            return keys.stream().filter(k -> k instanceof TagKey).map(k -> ((TagKey) k).tag()).toList();
        }

        @Override
        public String toString() {
            String g = keys.stream().map(Object::toString).collect(Collectors.joining(", "));
            String c = calls.stream().map(Object::toString).collect(Collectors.joining(", "));
            return "group=[" + g + "], aggregates=[" + c + "]";
        }
    }

    /** A grouping key: a time bucket or a tag column. */
    public sealed interface Key permits BucketKey, TagKey {
    }

    /**
     * Time buckets of {@code width} ns starting at {@code origin + k·width}; output as TIMESTAMP (ms)
     * or, when grouping by {@code ts_ns}, as BIGINT nanoseconds.
     */
    public record BucketKey(String label, boolean nanos) implements Key {
        @Override
        public String toString() {
            return label;
        }
    }

    public record TagKey(String tag) implements Key {
        @Override
        public String toString() {
            return tag;
        }
    }

    /** What an aggregate outputs: a function of {@code value}, or the first/last timestamp. */
    public enum Output { VALUE, TS, TS_NANOS }

    /**
     * One aggregate function: over {@code value}, or {@code MIN}/{@code MAX} of {@code ts} or
     * {@code ts_ns}, which are the timestamps the engine keeps for {@link AggFn#FIRST}/{@link AggFn#LAST}.
     */
    public record Call(AggFn fn, Output output) {
        public Call(AggFn fn) {
            this(fn, Output.VALUE);
        }

        @Override
        public String toString() {
            if (output != Output.VALUE) {
                return (fn == AggFn.FIRST ? "MIN(" : "MAX(") + (output == Output.TS ? "ts)" : "ts_ns)");
            }
            return switch (fn) {
                case COUNT -> "COUNT(*)";
                case FIRST -> "first(value, ts)";
                case LAST -> "last(value, ts)";
                default -> fn + "(value)";
            };
        }
    }

    /**
     * {@code ORDER BY ts [DESC] LIMIT fetch OFFSET offset}: the engine finds the latest (or earliest)
     * points without reading the rest. {@code fetch} and {@code offset} are literals or parameters.
     */
    public record Limit(boolean descending, RexNode fetch, RexNode offset) {
        @Override
        public String toString() {
            return "ts " + (descending ? "DESC" : "ASC") + " LIMIT " + (fetch == null ? "ALL" : fetch)
                    + (offset == null ? "" : " OFFSET " + offset);
        }
    }
}
