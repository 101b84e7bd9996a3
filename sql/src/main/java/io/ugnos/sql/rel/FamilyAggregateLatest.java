package io.ugnos.sql.rel;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.LatestRequest;
import io.ugnos.engine.query.LatestResult;
import io.ugnos.sql.rules.PushedScan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link FamilyAggregateSpec#endpointsOnly()} case of {@link FamilyAggregateRuntime} (TSBS
 * {@code lastpoint}: {@code MAX(ts), last(f, ts)} per host): one {@link Database#latest} call with a
 * request per field and needed end, instead of an aggregate over every block of every field. Fields
 * no call reads still ask for their latest point, which is what tells whether a group exists (a row
 * of the family exists when any field has a point) and what {@code MAX(ts)} reads. The engine merges
 * the fields by group; rows are built straight from its primitive columns.
 */
final class FamilyAggregateLatest {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final int FIRST = 0;
    private static final int LAST = 1;

    private FamilyAggregateLatest() {
    }

    /** The engine's answer, and per slot {@code end * fields + field} its column there (-1: not asked). */
    private record Answer(LatestResult result, int[] columns) {
    }

    static List<Object[]> execute(Database db, FamilyAggregateSpec spec, PushedScan pushed, QueryRuntime.Interrupts interrupts) {
        int fields = spec.layout().fields().size();
        List<Object[]> out = new ArrayList<>();
        Answer a = pushed.isEmpty() ? null : latest(db, spec, pushed, needs(spec, fields), interrupts);
        if (a == null || a.result.size() == 0) {
            if (spec.global()) {
                int[] none = new int[2 * fields];
                Arrays.fill(none, -1);
                out.add(toRow(spec, new Answer(null, none), -1, fields)); // one row, even over no rows
            }
            return out;
        }
        LatestResult r = a.result;
        Integer[] order = new Integer[r.size()];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        if (!spec.global()) {
            Arrays.sort(order, (x, y) -> FamilyAggregateRuntime.compareTags(r.group(x), r.group(y)));
        }
        for (Integer g : order) {
            out.add(toRow(spec, a, g, fields));
        }
        return out;
    }

    /** One engine call for every (end, field) the statement needs, under one pinned version. */
    private static Answer latest(Database db, FamilyAggregateSpec spec, PushedScan pushed, boolean[][] needs,
                                 QueryRuntime.Interrupts interrupts) {
        int fields = needs[0].length;
        while (true) {
            interrupts.check();
            List<LatestRequest> requests = new ArrayList<>();
            int[] columns = new int[2 * fields];
            for (int end = FIRST; end <= LAST; end++) {
                for (int f = 0; f < fields; f++) {
                    int slot = end * fields + f;
                    columns[slot] = -1;
                    if (needs[end][f] && db.hasSeries(spec.series(f))) { // a field dropped since planning has no points
                        columns[slot] = requests.size();
                        requests.add(new LatestRequest(spec.series(f), pushed.range(), pushed.tags(), spec.groupByTags(),
                                end == LAST ? AggFn.LAST : AggFn.FIRST));
                    }
                }
            }
            try {
                return new Answer(db.latest(requests), columns);
            } catch (SeriesNotFoundException droppedMeanwhile) {
                // dropped between hasSeries and the call: ask again without it
            }
        }
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

    /** The output row of group {@code g} (-1: the global row over no points). */
    private static Object[] toRow(FamilyAggregateSpec spec, Answer a, int g, int fields) {
        Object[] o = new Object[spec.keys().size() + spec.calls().size()];
        int i = 0;
        for (int k = 0; k < spec.keys().size(); k++) {
            o[i++] = a.result.group(g).get(k); // no bucket on this path: every key is a tag
        }
        for (FamilyAggregateSpec.FieldCall c : spec.calls()) {
            int end = c.fn() == AggFn.FIRST ? FIRST : LAST;
            if (c.output() == QuerySpec.Output.VALUE) {
                int col = a.columns[end * fields + c.field()];
                o[i++] = g >= 0 && col >= 0 && a.result.found(col, g) ? (Object) a.result.value(col, g) : null;
                continue;
            }
            boolean found = false;
            long best = 0;
            for (int f = 0; f < fields && g >= 0; f++) {
                int col = a.columns[end * fields + f];
                if (col >= 0 && a.result.found(col, g)) {
                    long t = a.result.ts(col, g);
                    if (!found || (end == FIRST ? t < best : t > best)) {
                        found = true;
                        best = t;
                    }
                }
            }
            o[i++] = !found ? null : c.output() == QuerySpec.Output.TS ? (Object) Math.floorDiv(best, NANOS_PER_MILLI) : (Object) best;
        }
        return o;
    }
}
