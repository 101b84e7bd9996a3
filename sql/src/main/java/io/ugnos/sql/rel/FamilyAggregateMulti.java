package io.ugnos.sql.rel;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.MultiAggregateRequest;
import io.ugnos.engine.query.MultiAggregateResult;
import io.ugnos.sql.rules.PushedScan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The bucketed and grouped case of {@link FamilyAggregateRuntime}: one engine call
 * ({@link Database#aggregate(MultiAggregateRequest)}) with a member per field series, merged by
 * (tags, bucket) in the engine under one pinned version. A field no call reads is a presence-only
 * member (a row of the family, hence a group, exists where any field has a point): the engine passes
 * over its blocks whose time span falls in groups the read fields already have, so
 * {@code MAX(f1..f5) GROUP BY minute} reads five series, not ten. {@code MIN(ts)}/{@code MAX(ts)}
 * read every field's first and last timestamps, so with them every field is a full member.
 */
final class FamilyAggregateMulti {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private FamilyAggregateMulti() {
    }

    /** The engine's answer and, per field, its member there (-1: the field's series is gone). */
    private record Answer(MultiAggregateResult result, int[] members) {
    }

    static List<Object[]> execute(Database db, FamilyAggregateSpec spec, PushedScan pushed, QueryRuntime.Interrupts interrupts) {
        int fields = spec.layout().fields().size();
        List<Object[]> out = new ArrayList<>();
        Answer a = pushed.isEmpty() ? null : aggregate(db, spec, pushed, functions(spec, fields), interrupts);
        if (a == null || a.result.size() == 0) {
            if (spec.global()) {
                out.add(new Columns(spec, null).row(-1)); // one row, even over no rows
            }
            return out;
        }
        MultiAggregateResult r = a.result;
        Columns columns = new Columns(spec, a);
        out = new ArrayList<>(r.size());
        for (int g = 0; g < r.size(); g++) {
            out.add(columns.row(g));
        }
        if (!spec.global()) {
            // the engine orders null tags first, SQL's ascending order (declared by the rel) last;
            // stable, and a no-op pass when no group-by tag is null
            boolean nulls = false;
            for (int g = 0; g < r.size() && !nulls; g++) {
                for (String tag : r.groups().get(g)) { // immutable lists refuse contains(null)
                    nulls |= tag == null;
                }
            }
            if (nulls) {
                Integer[] order = new Integer[r.size()];
                for (int g = 0; g < order.length; g++) {
                    order[g] = g;
                }
                Arrays.sort(order, (x, y) -> {
                    int c = FamilyAggregateRuntime.compareTags(r.groups().get(x), r.groups().get(y));
                    return c != 0 ? c : Long.compare(r.buckets()[x], r.buckets()[y]);
                });
                List<Object[]> sorted = new ArrayList<>(out.size());
                for (Integer g : order) {
                    sorted.add(out.get(g));
                }
                return sorted;
            }
        }
        return out;
    }

    /**
     * What each field's member computes: what the calls read of it, COUNT when only
     * {@code MIN(ts)/MAX(ts)} need its timestamps, and nothing (presence only) otherwise.
     */
    private static List<Set<AggFn>> functions(FamilyAggregateSpec spec, int fields) {
        List<Set<AggFn>> fns = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            fns.add(EnumSet.of(AggFn.COUNT)); // its first/last timestamps for MIN(ts)/MAX(ts)
        }
        for (FamilyAggregateSpec.FieldCall c : spec.calls()) {
            if (c.field() >= 0) {
                fns.get(c.field()).add(c.fn());
            }
        }
        for (int f : spec.presenceOnlyFields()) {
            fns.get(f).clear();
        }
        return fns;
    }

    private static Answer aggregate(Database db, FamilyAggregateSpec spec, PushedScan pushed, List<Set<AggFn>> fns,
                                    QueryRuntime.Interrupts interrupts) {
        int fields = fns.size();
        while (true) {
            interrupts.check();
            List<MultiAggregateRequest.Member> members = new ArrayList<>();
            int[] memberOf = new int[fields];
            for (int f = 0; f < fields; f++) {
                memberOf[f] = -1;
                if (db.hasSeries(spec.series(f))) { // a field dropped since planning has no points
                    memberOf[f] = members.size();
                    members.add(new MultiAggregateRequest.Member(spec.series(f), fns.get(f)));
                }
            }
            if (members.isEmpty()) {
                return null;
            }
            try {
                return new Answer(db.aggregate(new MultiAggregateRequest(pushed.range(), pushed.tags(),
                        spec.hasBucket() ? spec.widthNanos() : 0, spec.originNanos(), spec.groupByTags(), members)), memberOf);
            } catch (SeriesNotFoundException droppedMeanwhile) {
                // dropped between hasSeries and the call: ask again without it
            }
        }
    }

    /**
     * The output columns of an answer: the keys (bucket and group-by tags), then the calls. A call's
     * DOUBLE values (any function but a count) are copied out of the engine's accumulators a column
     * at a time ({@link MultiAggregateResult#column}): asking {@code value(member, group, fn)} per
     * value was a quarter of single-groupby-5-1-12's execution in a profile.
     */
    private static final class Columns {
        private final int width;
        private final QuerySpec.Key[] keys;
        /** Per key column, its place in a group's tag values (-1: the bucket). */
        private final int[] tag;
        private final FamilyAggregateSpec.FieldCall[] calls;
        private final Answer a;
        /** Per DOUBLE column, its value in every group (read from the engine's accumulators in one pass), else null. */
        private final double[][] values;
        /** Per DOUBLE column, whether it is NULL in each group. */
        private final boolean[][] nulls;

        Columns(FamilyAggregateSpec spec, Answer a) {
            // arrays, not the spec's lists: a row reads each once, and iterating immutable lists of
            // varying sizes per row was 16% of a 721-row aggregate's profile
            keys = spec.keys().toArray(QuerySpec.Key[]::new);
            calls = spec.calls().toArray(FamilyAggregateSpec.FieldCall[]::new);
            this.a = a;
            width = keys.length + calls.length;
            tag = new int[keys.length];
            int t = 0;
            for (int k = 0; k < keys.length; k++) {
                tag[k] = keys[k] instanceof QuerySpec.BucketKey ? -1 : t++;
            }
            values = new double[width][];
            nulls = new boolean[width][];
            int groups = a == null ? 0 : a.result.size();
            for (int c = 0; c < calls.length; c++) {
                FamilyAggregateSpec.FieldCall call = calls[c];
                int i = keys.length + c;
                if (call.output() != QuerySpec.Output.VALUE || call.fn() == AggFn.COUNT || a == null) {
                    continue; // not a DOUBLE, or the row over no points: computed value by value
                }
                values[i] = new double[groups];
                nulls[i] = new boolean[groups];
                int m = a.members[call.field()];
                if (m >= 0) {
                    a.result.column(m, call.fn(), values[i], nulls[i]);
                } else {
                    Arrays.fill(nulls[i], true); // the field's series is gone: no points
                }
                if (call.zeroWhenEmpty()) {
                    Arrays.fill(nulls[i], false); // 0, as the column holds where there are no points
                }
            }
        }

        private Object value(int i, int g) {
            if (i < keys.length) {
                if (tag[i] >= 0) {
                    return a.result.groups().get(g).get(tag[i]);
                }
                long start = a.result.buckets()[g];
                return ((QuerySpec.BucketKey) keys[i]).nanos() ? start : Math.floorDiv(start, NANOS_PER_MILLI);
            }
            if (values[i] != null) {
                return nulls[i][g] ? null : (Object) values[i][g];
            }
            return FamilyAggregateMulti.value(calls[i - keys.length], a, g);
        }

        /** The output row of group {@code g} (-1, with no answer: the global row over no points). */
        Object[] row(int g) {
            Object[] o = new Object[width];
            for (int i = 0; i < width; i++) {
                o[i] = value(i, g);
            }
            return o;
        }
    }

    private static Object value(FamilyAggregateSpec.FieldCall c, Answer a, int g) {
        if (c.output() != QuerySpec.Output.VALUE) {
            boolean least = c.fn() == AggFn.FIRST;
            Long best = null;
            for (int m = 0; a != null && m < a.members.length; m++) {
                int member = a.members[m];
                if (member >= 0 && a.result.count(member, g) > 0) {
                    long t = least ? a.result.firstTs(member, g) : a.result.lastTs(member, g);
                    best = best == null ? t : least ? Math.min(best, t) : Math.max(best, t);
                }
            }
            return best == null ? null : c.output() == QuerySpec.Output.TS ? (Object) Math.floorDiv(best, NANOS_PER_MILLI) : best;
        }
        int m = a == null ? -1 : a.members[c.field()];
        long count = m < 0 ? 0 : a.result.count(m, g);
        if (count == 0) {
            return c.fn() == AggFn.COUNT ? (Object) 0L : c.zeroWhenEmpty() ? (Object) 0.0 : null;
        }
        return c.fn() == AggFn.COUNT ? (Object) count : (Object) a.result.value(m, g, c.fn());
    }
}
