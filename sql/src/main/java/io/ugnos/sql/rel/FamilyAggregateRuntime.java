package io.ugnos.sql.rel;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link FamilyAggregateSpec}: one engine aggregate per field series (COUNT only for fields
 * no aggregate reads: a group exists when any field has a point in it, as a row of the family
 * exists when any field has one), merged by (tags, bucket) in one hash map. Called from the code
 * Calcite generates for {@link FamilyAggregate}.
 */
public final class FamilyAggregateRuntime {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Rows ordered by the group-by tags (nulls last, as SQL's ascending order) and then the bucket, as declared. */
    private static final Comparator<Group> ORDER = (a, b) -> {
        int c = compareTags(a.tags, b.tags);
        return c != 0 ? c : Long.compare(a.bucket, b.bucket);
    };

    private FamilyAggregateRuntime() {
    }

    /** Group-by tag values in SQL's ascending order: nulls last. */
    static int compareTags(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? 1 : -1;
                }
                continue;
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** {@link #execute} for one output column, which Calcite represents by the value itself. */
    public static Enumerable<Object> executeScalar(DataContext root, FamilyAggregateSpec spec) {
        return execute(root, spec).select(r -> r[0]);
    }

    public static Enumerable<Object[]> execute(DataContext root, FamilyAggregateSpec spec) {
        QueryRuntime.Interrupts interrupts = QueryRuntime.Interrupts.of(root);
        interrupts.check();
        Database db = spec.table().database();
        PushedScan pushed = new PredicateTranslator(spec.layout(), root).translatePushed(spec.filters());
        if (spec.endpointsOnly()) {
            return Linq4j.asEnumerable(FamilyAggregateLatest.execute(db, spec, pushed, interrupts));
        }
        int fields = spec.layout().fields().size();
        Map<Group, AggregateRow[]> groups = new HashMap<>();
        if (!pushed.isEmpty()) {
            List<Set<AggFn>> fns = new ArrayList<>();
            for (int f = 0; f < fields; f++) {
                fns.add(EnumSet.of(AggFn.COUNT));
            }
            for (FamilyAggregateSpec.FieldCall c : spec.calls()) {
                if (c.field() >= 0) {
                    fns.get(c.field()).add(c.fn());
                }
            }
            boolean bucketed = spec.hasBucket();
            for (int f = 0; f < fields; f++) {
                interrupts.check();
                List<AggregateRow> rows;
                try {
                    rows = db.aggregate(new AggregateRequest(spec.series(f), pushed.range(), pushed.tags(),
                            bucketed ? spec.widthNanos() : 0, spec.originNanos(), fns.get(f), spec.groupByTags())).rows();
                } catch (SeriesNotFoundException dropped) {
                    continue; // dropped since planning: no points, as the family scan sees it
                }
                for (AggregateRow row : rows) {
                    if (row.count() > 0) {
                        // without a bucket the engine labels rows with the range start, which each
                        // series' retention may raise differently: not part of the key
                        Group g = new Group(bucketed ? row.bucket() : 0, row.group());
                        groups.computeIfAbsent(g, k -> new AggregateRow[fields])[f] = row;
                    }
                }
            }
        }
        List<Object[]> out = new ArrayList<>(groups.size());
        if (groups.isEmpty()) {
            if (spec.global()) {
                out.add(toRow(spec, new Group(0, List.of()), new AggregateRow[fields])); // one row, even over no rows
            }
            return Linq4j.asEnumerable(out);
        }
        List<Map.Entry<Group, AggregateRow[]>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort(Map.Entry.comparingByKey(ORDER));
        for (Map.Entry<Group, AggregateRow[]> e : sorted) {
            out.add(toRow(spec, e.getKey(), e.getValue()));
        }
        return Linq4j.asEnumerable(out);
    }

    private static Object[] toRow(FamilyAggregateSpec spec, Group g, AggregateRow[] perField) {
        Object[] o = new Object[spec.keys().size() + spec.calls().size()];
        int i = 0;
        int tag = 0;
        for (QuerySpec.Key k : spec.keys()) {
            if (k instanceof QuerySpec.BucketKey b) {
                o[i++] = b.nanos() ? g.bucket : Math.floorDiv(g.bucket, NANOS_PER_MILLI);
            } else {
                o[i++] = g.tags.get(tag++);
            }
        }
        for (FamilyAggregateSpec.FieldCall c : spec.calls()) {
            o[i++] = value(c, perField);
        }
        return o;
    }

    private static Object value(FamilyAggregateSpec.FieldCall c, AggregateRow[] perField) {
        if (c.output() != QuerySpec.Output.VALUE) {
            boolean least = c.fn() == AggFn.FIRST;
            Long best = null;
            for (AggregateRow r : perField) {
                if (r != null) {
                    long t = least ? r.firstTs() : r.lastTs();
                    best = best == null ? t : least ? Math.min(best, t) : Math.max(best, t);
                }
            }
            return best == null ? null : c.output() == QuerySpec.Output.TS ? (Object) Math.floorDiv(best, NANOS_PER_MILLI) : best;
        }
        AggregateRow r = perField[c.field()];
        if (r == null) {
            return c.fn() == AggFn.COUNT ? (Object) 0L : c.zeroWhenEmpty() ? (Object) 0.0 : null;
        }
        return c.fn() == AggFn.COUNT ? (Object) r.count() : (Object) r.value(c.fn());
    }

    /** A group: its bucket start (ns; 0 without a bucket) and the values of the group-by tags. */
    private record Group(long bucket, List<String> tags) {
    }
}
