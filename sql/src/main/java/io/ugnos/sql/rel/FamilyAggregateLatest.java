package io.ugnos.sql.rel;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.LatestRequest;
import io.ugnos.engine.query.LatestResult;
import io.ugnos.sql.rules.PushedScan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link FamilyAggregateSpec#endpointsOnly()} case of {@link FamilyAggregateRuntime} (TSBS
 * {@code lastpoint}: {@code MAX(ts), last(f, ts)} per host): one {@link Database#latest} request per
 * field and needed end instead of an aggregate over every block. Fields no call reads still ask for
 * their latest point, which is what tells whether a group exists (a row of the family exists when any
 * field has a point) and what {@code MAX(ts)} reads. Groups are merged by their tag values into
 * primitive arrays, one slot per (end, field).
 */
final class FamilyAggregateLatest {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int FIRST = 0;
    private static final int LAST = 1;

    private FamilyAggregateLatest() {
    }

    static List<Object[]> execute(Database db, FamilyAggregateSpec spec, PushedScan pushed, QueryRuntime.Interrupts interrupts) {
        int fields = spec.layout().fields().size();
        boolean[][] needs = needs(spec, fields);
        Map<List<String>, Group> groups = new HashMap<>();
        List<String> groupBy = spec.groupByTags();
        for (int end = FIRST; end <= LAST && !pushed.isEmpty(); end++) {
            for (int f = 0; f < fields; f++) {
                if (!needs[end][f]) {
                    continue;
                }
                interrupts.check();
                LatestResult r;
                try {
                    r = db.latest(new LatestRequest(spec.series(f), pushed.range(), pushed.tags(), groupBy,
                            end == LAST ? AggFn.LAST : AggFn.FIRST));
                } catch (SeriesNotFoundException dropped) {
                    continue; // dropped since planning: no points, as the family scan sees it
                }
                int slot = end * fields + f;
                for (int i = 0; i < r.size(); i++) {
                    Group g = groups.computeIfAbsent(r.groups().get(i), k -> new Group(k, fields));
                    g.has[slot] = true;
                    g.ts[slot] = r.ts()[i];
                    g.values[slot] = r.values()[i];
                }
            }
        }
        List<Object[]> out = new ArrayList<>(Math.max(groups.size(), 1));
        if (groups.isEmpty()) {
            if (spec.global()) {
                out.add(toRow(spec, new Group(List.of(), fields), fields)); // one row, even over no rows
            }
            return out;
        }
        Group[] sorted = groups.values().toArray(new Group[0]);
        if (!groupBy.isEmpty()) {
            Arrays.sort(sorted, (a, b) -> FamilyAggregateRuntime.compareTags(a.tags, b.tags));
        }
        for (Group g : sorted) {
            out.add(toRow(spec, g, fields));
        }
        return out;
    }

    /** needs[end][field]: which ends of which fields the calls read; every field's latest at least. */
    private static boolean[][] needs(FamilyAggregateSpec spec, int fields) {
        boolean[][] needs = new boolean[2][fields];
        for (FamilyAggregateSpec.FieldCall c : spec.calls()) {
            int end = c.fn() == AggFn.FIRST ? FIRST : LAST;
            if (c.field() >= 0) {
                needs[end][c.field()] = true;
            } else {
                Arrays.fill(needs[end], true); // MIN(ts)/MAX(ts): over every field
            }
        }
        for (int f = 0; f < fields; f++) {
            if (!needs[FIRST][f]) {
                needs[LAST][f] = true;
            }
        }
        return needs;
    }

    private static Object[] toRow(FamilyAggregateSpec spec, Group g, int fields) {
        Object[] o = new Object[spec.keys().size() + spec.calls().size()];
        int i = 0;
        for (int k = 0; k < spec.keys().size(); k++) {
            o[i++] = g.tags.get(k); // no bucket on this path: every key is a tag
        }
        for (FamilyAggregateSpec.FieldCall c : spec.calls()) {
            int end = c.fn() == AggFn.FIRST ? FIRST : LAST;
            if (c.output() == QuerySpec.Output.VALUE) {
                int slot = end * fields + c.field();
                o[i++] = g.has[slot] ? (Object) g.values[slot] : null;
                continue;
            }
            boolean found = false;
            long best = 0;
            for (int f = 0; f < fields; f++) {
                int slot = end * fields + f;
                if (g.has[slot] && (!found || (end == FIRST ? g.ts[slot] < best : g.ts[slot] > best))) {
                    found = true;
                    best = g.ts[slot];
                }
            }
            o[i++] = !found ? null : c.output() == QuerySpec.Output.TS ? (Object) Math.floorDiv(best, NANOS_PER_MILLI) : (Object) best;
        }
        return o;
    }

    /** One group: its tag values and, per (end, field) slot, whether it has a point, its timestamp and value. */
    private static final class Group {
        final List<String> tags;
        final boolean[] has;
        final long[] ts;
        final double[] values;

        Group(List<String> tags, int fields) {
            this.tags = tags;
            this.has = new boolean[2 * fields];
            this.ts = new long[2 * fields];
            this.values = new double[2 * fields];
        }
    }
}
