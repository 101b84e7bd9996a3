package io.ugnos.sql.rel;

import io.ugnos.engine.Database;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.MultiAggregateRequest;
import io.ugnos.engine.query.MultiAggregateResult;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
import io.ugnos.sql.schema.SeriesTable;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link QuerySpec} when its statement executes: translates the pushed conjuncts with the
 * statement's parameter values, then asks the engine for a scan, an aggregate or the latest points.
 * Called from the code Calcite generates for {@link UgnosQuery}.
 */
public final class QueryRuntime {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private QueryRuntime() {
    }

    /** {@link #execute} for a query of one column, whose rows Calcite represents by the value itself. */
    public static Enumerable<Object> executeScalar(DataContext root, QuerySpec spec) {
        return execute(root, spec).select(r -> r[0]);
    }

    public static Enumerable<Object[]> execute(DataContext root, QuerySpec spec) {
        Interrupts interrupts = Interrupts.of(root);
        interrupts.check();
        SeriesTable table = spec.table();
        Database db = table.database();
        PushedScan pushed = new PredicateTranslator(spec.layout(), root).translatePushed(spec.filters());
        boolean exists = db.hasSeries(table.series());
        if (spec.aggregation() != null) {
            return spec.limit() != null && !pushed.isEmpty() && exists
                    ? latestBuckets(db, spec, pushed, root) : aggregate(db, spec, pushed, exists);
        }
        if (pushed.isEmpty() || !exists) {
            return Linq4j.emptyEnumerable();
        }
        if (spec.limit() != null) {
            return latest(db, spec, pushed, root);
        }
        return scan(db, spec, pushed, interrupts);
    }

    /**
     * {@code Statement.cancel()} and {@code setQueryTimeout}: Calcite hands both to the query
     * through its DataContext; scans check them before every batch they read.
     */
    record Interrupts(java.util.concurrent.atomic.AtomicBoolean cancel, long deadlineNanos, long timeoutMillis) {
        static Interrupts of(DataContext root) {
            java.util.concurrent.atomic.AtomicBoolean flag = root == null ? null : DataContext.Variable.CANCEL_FLAG.get(root);
            Object t = root == null ? null : root.get(DataContext.Variable.TIMEOUT.camelName);
            long timeout = t instanceof Long l && l > 0 ? l : 0;
            return new Interrupts(flag, timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0, timeout);
        }

        void check() {
            if (cancel != null && cancel.get()) {
                throw new QueryInterruptedException("the statement was canceled");
            }
            if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0) {
                if (cancel != null) {
                    cancel.set(true);
                }
                throw new QueryInterruptedException("the query ran longer than its timeout of " + timeoutMillis / 1000
                        + " s (Statement.setQueryTimeout); narrow the time range or raise the timeout");
            }
        }
    }

    /** A query stopped by {@code Statement.cancel()} or its timeout. */
    public static final class QueryInterruptedException extends RuntimeException {
        QueryInterruptedException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ scan

    private static Enumerable<Object[]> scan(Database db, QuerySpec spec, PushedScan pushed, Interrupts interrupts) {
        List<Integer> cols = spec.columns();
        boolean needTs = cols.stream().anyMatch(c -> spec.layout().isTs(c) || spec.layout().isTsNanos(c));
        boolean needValues = cols.stream().anyMatch(c -> spec.layout().isValue(c));
        ScanRequest request = new ScanRequest(spec.table().series(), pushed.range(), pushed.tags(), needTs, needValues,
                ScanRequest.DEFAULT_BATCH);
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new RowEnumerator(db.scan(request), spec.layout(), cols, interrupts);
            }
        };
    }

    // ------------------------------------------------------------------ aggregate

    private static Enumerable<Object[]> aggregate(Database db, QuerySpec spec, PushedScan pushed, boolean exists) {
        QuerySpec.Aggregation a = spec.aggregation();
        List<Object[]> out = !pushed.isEmpty() && exists
                ? rows(db, spec.table().series(), pushed.range(), pushed.tags(), a, a.groupByTags())
                : List.of();
        if (out.isEmpty() && a.global()) {
            // SQL: an aggregate without GROUP BY has one row, even over no rows
            Object[] empty = new Object[a.calls().size()];
            for (int i = 0; i < empty.length; i++) {
                empty[i] = a.calls().get(i).fn() == AggFn.COUNT ? (Object) 0L : null;
            }
            out = List.<Object[]>of(empty);
        }
        return Linq4j.asEnumerable(out);
    }

    /**
     * The rows of aggregate {@code a} of {@code series} over {@code range}, one per (group, bucket)
     * with points, ascending. Asked as the one-member form of the engine's multi-series call and
     * read in place: no {@code AggregateRow} per bucket (the single-series form makes one, with
     * all ten figures, for every bucket).
     */
    private static List<Object[]> rows(Database db, String series, TimeRange range, TagPredicate tags,
                                       QuerySpec.Aggregation a, List<String> groupBy) {
        Set<AggFn> fns = EnumSet.of(AggFn.COUNT);
        a.calls().forEach(c -> fns.add(c.fn()));
        MultiAggregateResult r = db.aggregate(new MultiAggregateRequest(range, tags, a.widthNanos(), a.originNanos(),
                groupBy, List.of(new MultiAggregateRequest.Member(series, fns))));
        QuerySpec.Key[] keys = a.keys().toArray(QuerySpec.Key[]::new);
        QuerySpec.Call[] calls = a.calls().toArray(QuerySpec.Call[]::new);
        List<Object[]> out = new ArrayList<>(r.size());
        for (int g = 0; g < r.size(); g++) {
            if (r.count(0, g) > 0) {
                out.add(toRow(keys, calls, r, g));
            }
        }
        return out;
    }

    /** Group {@code g} of member 0 of {@code r} (which has points there) as a row of {@code keys} and {@code calls}. */
    private static Object[] toRow(QuerySpec.Key[] keys, QuerySpec.Call[] calls, MultiAggregateResult r, int g) {
        Object[] o = new Object[keys.length + calls.length];
        int tag = 0;
        int i = 0;
        for (QuerySpec.Key k : keys) {
            if (k instanceof QuerySpec.BucketKey b) {
                long bucket = r.buckets()[g];
                o[i++] = b.nanos() ? bucket : Math.floorDiv(bucket, NANOS_PER_MILLI);
            } else {
                o[i++] = r.groups().get(g).get(tag++);
            }
        }
        for (QuerySpec.Call c : calls) {
            o[i++] = switch (c.output()) {
                case TS -> Math.floorDiv(c.fn() == AggFn.FIRST ? r.firstTs(0, g) : r.lastTs(0, g), NANOS_PER_MILLI);
                case TS_NANOS -> c.fn() == AggFn.FIRST ? r.firstTs(0, g) : r.lastTs(0, g);
                case VALUE -> c.fn() == AggFn.COUNT ? (Object) r.count(0, g) : (Object) r.value(0, g, c.fn());
            };
        }
        return o;
    }

    /**
     * {@code GROUP BY bucket ORDER BY bucket [DESC] LIMIT n OFFSET m}: aggregates only a window of
     * whole buckets at the end (or start) of the data, widened fourfold until it holds n+m buckets.
     */
    private static Enumerable<Object[]> latestBuckets(Database db, QuerySpec spec, PushedScan pushed, DataContext root) {
        QuerySpec.Aggregation a = spec.aggregation();
        QuerySpec.Limit limit = spec.limit();
        long fetch = limitValue(limit.fetch(), root, Long.MAX_VALUE);
        long offset = limitValue(limit.offset(), root, 0);
        long wanted = fetch == Long.MAX_VALUE ? Long.MAX_VALUE : fetch + offset;
        String series = spec.table().series();
        TimeRange range = pushed.range();
        AggregateRow whole = single(db.aggregate(new AggregateRequest(series, range, pushed.tags(), 0, 0,
                Set.of(AggFn.COUNT, AggFn.FIRST, AggFn.LAST), List.of())));
        if (whole == null || fetch == 0) {
            return Linq4j.emptyEnumerable();
        }
        long width = a.widthNanos();
        long span = wanted >= Long.MAX_VALUE / 8 / width ? Long.MAX_VALUE : wanted * 2 * width;
        List<Object[]> out;
        while (true) {
            TimeRange w = range;
            if (span != Long.MAX_VALUE) {
                if (limit.descending()) {
                    long lo = bucketStart(saturatingSub(whole.lastTs(), span), width, a.originNanos());
                    w = TimeRange.of(Math.max(range.start(), lo), range.end());
                } else {
                    long hi = bucketStart(saturatingAdd(whole.firstTs(), span), width, a.originNanos()) - 1;
                    w = TimeRange.of(range.start(), Math.min(range.end(), hi));
                }
            }
            out = rows(db, series, w, pushed.tags(), a, List.of());
            boolean all = w.start() == range.start() && w.end() == range.end();
            if (out.size() >= wanted || all) {
                break;
            }
            span = span > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : span * 4;
        }
        if (limit.descending()) {
            java.util.Collections.reverse(out); // the engine returns buckets ascending
        }
        int from = (int) Math.min(offset, out.size());
        int to = (int) Math.min(wanted, out.size());
        return Linq4j.asEnumerable(from >= to ? List.of() : out.subList(from, to));
    }

    private static long bucketStart(long ts, long width, long origin) {
        return origin + Math.floorDiv(ts - origin, width) * width;
    }

    // ------------------------------------------------------------------ latest points

    /**
     * {@code ORDER BY ts [DESC] LIMIT n OFFSET m}: finds a time window at the end (or start) of the
     * range that holds at least n+m points, using counts the engine answers mostly from block
     * headers, widening it fourfold until it does; then scans only that window.
     */
    private static Enumerable<Object[]> latest(Database db, QuerySpec spec, PushedScan pushed, DataContext root) {
        QuerySpec.Limit limit = spec.limit();
        long fetch = limitValue(limit.fetch(), root, Long.MAX_VALUE);
        long offset = limitValue(limit.offset(), root, 0);
        long wanted = fetch == Long.MAX_VALUE ? Long.MAX_VALUE : fetch + offset;
        if (fetch == 0) {
            return Linq4j.emptyEnumerable();
        }
        String series = spec.table().series();
        TimeRange range = pushed.range();
        AggregateRow whole = single(db.aggregate(new AggregateRequest(series, range, pushed.tags(), 0, 0,
                Set.of(AggFn.COUNT, AggFn.FIRST, AggFn.LAST), List.of())));
        if (whole == null) {
            return Linq4j.emptyEnumerable();
        }
        TimeRange window = range;
        if (whole.count() > wanted) {
            long from = whole.firstTs();
            long to = whole.lastTs();
            double perNano = (double) whole.count() / Math.max(1, (double) to - from);
            long width = (long) Math.min(Long.MAX_VALUE / 8, Math.max(1, 2 * wanted / perNano));
            while (true) {
                TimeRange w = limit.descending()
                        ? TimeRange.of(Math.max(from, saturatingSub(to, width)), to)
                        : TimeRange.of(from, Math.min(to, saturatingAdd(from, width)));
                AggregateRow c = single(db.aggregate(new AggregateRequest(series, w, pushed.tags(), 0, 0,
                        Set.of(AggFn.COUNT), List.of())));
                boolean whole2 = limit.descending() ? w.start() == from : w.end() == to;
                if ((c != null && c.count() >= wanted) || whole2) {
                    window = w;
                    break;
                }
                width = width > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : width * 4;
            }
        }
        List<Integer> cols = new ArrayList<>(spec.columns());
        int tsCol = spec.layout().columnCount() - 1; // ts_ns, appended to sort by
        cols.add(tsCol);
        List<Object[]> rows = new ArrayList<>();
        try (RowEnumerator e = new RowEnumerator(db.scan(new ScanRequest(series, window, pushed.tags(), true,
                cols.stream().anyMatch(c -> spec.layout().isValue(c)), ScanRequest.DEFAULT_BATCH)), spec.layout(), cols,
                Interrupts.of(root))) {
            while (e.moveNext()) {
                rows.add(e.current());
            }
        }
        int key = cols.size() - 1;
        Comparator<Object[]> byTs = Comparator.comparingLong(r -> (Long) r[key]);
        rows.sort(limit.descending() ? byTs.reversed() : byTs);
        List<Object[]> out = new ArrayList<>();
        for (long i = offset; i < rows.size() && i < wanted; i++) {
            Object[] r = rows.get((int) i);
            out.add(java.util.Arrays.copyOf(r, key));
        }
        return Linq4j.asEnumerable(out);
    }

    private static AggregateRow single(AggregateResult r) {
        for (AggregateRow row : r.rows()) {
            if (row.count() > 0) {
                return row;
            }
        }
        return null;
    }

    private static long limitValue(RexNode n, DataContext root, long absent) {
        if (n == null) {
            return absent;
        }
        Object v = n instanceof RexDynamicParam p ? root.get("?" + p.getIndex()) : ((RexLiteral) n).getValueAs(Long.class);
        if (!(v instanceof Number num) || num.longValue() < 0) {
            throw new IllegalArgumentException("LIMIT and OFFSET must be non-negative integers, got " + v);
        }
        return num.longValue();
    }

    private static long saturatingSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    // ------------------------------------------------------------------ rows

    /** Rows from engine batches, one Object[] per point with the requested columns. */
    static final class RowEnumerator implements Enumerator<Object[]> {
        private final ScanCursor cursor;
        private final SeriesTable.Layout layout;
        private final int[] cols;
        private PointBatch batch;
        private int pos;
        private Object[] current;
        private final List<Object[]> tagCache = new ArrayList<>(); // per tag-set id: the tag column values
        private final Interrupts interrupts;

        RowEnumerator(ScanCursor cursor, SeriesTable.Layout layout, List<Integer> cols, Interrupts interrupts) {
            this.cursor = cursor;
            this.interrupts = interrupts;
            this.layout = layout;
            this.cols = cols.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public Object[] current() {
            return current;
        }

        @Override
        public boolean moveNext() {
            while (batch == null || pos >= batch.size()) {
                interrupts.check();
                if (!cursor.next()) {
                    return false;
                }
                batch = cursor.batch();
                pos = 0;
            }
            Object[] tags = tags(batch.tagSetId());
            long ns = batch.timestamps()[pos];
            Object[] row = new Object[cols.length];
            for (int i = 0; i < cols.length; i++) {
                int c = cols[i];
                if (layout.isTs(c)) {
                    row[i] = Math.floorDiv(ns, NANOS_PER_MILLI);
                } else if (layout.isValue(c)) {
                    row[i] = batch.values()[pos];
                } else if (layout.isTsNanos(c)) {
                    row[i] = ns;
                } else {
                    row[i] = tags[c - 2];
                }
            }
            pos++;
            current = row;
            return true;
        }

        private Object[] tags(int id) {
            while (tagCache.size() <= id) {
                tagCache.add(null);
            }
            Object[] t = tagCache.get(id);
            if (t == null) {
                TagSet ts = cursor.tagSet(id);
                t = new Object[layout.tagKeys().size()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = ts.get(layout.tagKeys().get(i));
                }
                tagCache.set(id, t);
            }
            return t;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("a scan cannot be restarted");
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
