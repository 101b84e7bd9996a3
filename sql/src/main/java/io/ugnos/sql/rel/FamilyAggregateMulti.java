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
                out.add(toRow(spec.keys().toArray(QuerySpec.Key[]::new),
                        spec.calls().toArray(FamilyAggregateSpec.FieldCall[]::new), null, -1)); // one row, even over no rows
            }
            return out;
        }
        MultiAggregateResult r = a.result;
        // arrays, not the spec's lists: a row reads each once, and iterating immutable lists of
        // varying sizes per row was 16% of a 721-row aggregate's profile
        QuerySpec.Key[] keys = spec.keys().toArray(QuerySpec.Key[]::new);
        FamilyAggregateSpec.FieldCall[] calls = spec.calls().toArray(FamilyAggregateSpec.FieldCall[]::new);
        out = new ArrayList<>(r.size());
        for (int g = 0; g < r.size(); g++) {
            out.add(toRow(keys, calls, a, g));
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

    /** The output row of group {@code g} (-1, with no answer: the global row over no points). */
    private static Object[] toRow(QuerySpec.Key[] keys, FamilyAggregateSpec.FieldCall[] calls, Answer a, int g) {
        Object[] o = new Object[keys.length + calls.length];
        int i = 0;
        int tag = 0;
        List<String> group = g < 0 ? null : a.result.groups().get(g);
        for (QuerySpec.Key k : keys) {
            if (k instanceof QuerySpec.BucketKey b) {
                long start = a.result.buckets()[g];
                o[i++] = b.nanos() ? start : Math.floorDiv(start, NANOS_PER_MILLI);
            } else {
                o[i++] = group.get(tag++);
            }
        }
        for (FamilyAggregateSpec.FieldCall c : calls) {
            o[i++] = value(c, a, g);
        }
        return o;
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
