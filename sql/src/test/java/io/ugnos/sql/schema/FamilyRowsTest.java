package io.ugnos.sql.schema;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.runtime.FlatLists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FamilyRows}: the rows a family scan adds (row by row or field by field), read back boxed, as arrays and as {@link
 * FamilyRow}s (and a field unboxed), equal a plain model of them, in the scan's order or a {@link FamilyOrder}'s; rows
 * kept from one enumeration are not changed by reading on or by another enumeration; rows compare
 * as Calcite's comparable lists of the same values.
 */
class FamilyRowsTest {
    private static final FamilyTable.Layout LAYOUT = new FamilyTable.Layout(List.of("a", "b", "c"), List.of("host", "region"));
    private static final String[][] TAG_SETS = {{"h1", "eu"}, {"h2", null}, {null, "us"}, {"h10", "eu"}};

    @Property(tries = 200)
    void rowsReadBackAreTheRowsAdded(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
        Random rnd = new Random(seed);
        int[] cols = new int[1 + rnd.nextInt(9)];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = rnd.nextInt(LAYOUT.columnCount()); // repeats allowed
        }
        FamilyRows rows = new FamilyRows(LAYOUT, cols, rnd.nextInt(4)); // small: growth is exercised
        List<Object[]> model = new ArrayList<>();
        List<long[]> keys = new ArrayList<>(); // per model row: ns, tag set number
        int tagSets = rnd.nextInt(TAG_SETS.length + 1);
        for (int t = 0; t < tagSets; t++) {
            rows.tagSet(TAG_SETS[t].clone());
            long ns = rnd.nextInt(3) * 1_000_000L - 2_500_000L; // negative times too: ts is floorDiv'd
            int m = rnd.nextInt(40);
            long[] ts = new long[m];
            double[][] values = new double[m][3];
            boolean[][] present = new boolean[m][3];
            boolean[] absent = {rnd.nextInt(5) == 0, rnd.nextInt(5) == 0, rnd.nextInt(5) == 0}; // no points at all
            boolean[] complete = {rnd.nextInt(3) == 0, rnd.nextInt(3) == 0, rnd.nextInt(3) == 0}; // a point at every row, no others
            for (int r = 0; r < m; r++) {
                ns += rnd.nextInt(3) == 0 ? 1 : 1 + rnd.nextInt(5_000_000); // ascending, as a scan gives them
                ts[r] = ns;
                for (int f = 0; f < 3; f++) {
                    present[r][f] = complete[f] || (!absent[f] && rnd.nextInt(4) != 0);
                    values[r][f] = rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextInt(100) - 50.5;
                }
                model.add(modelRow(cols, ns, values[r], present[r], TAG_SETS[t]));
                keys.add(new long[]{ns, t});
            }
            if (rnd.nextBoolean()) { // row by row
                for (int r = 0; r < m; r++) {
                    double[] v = values[r].clone();
                    boolean[] p = present[r].clone();
                    rows.add(ts[r], v, p);
                    Arrays.fill(v, 7.0); // the caller's buffers are reused
                    Arrays.fill(p, false);
                }
            } else { // column by column: each field's points, with some at no row's time between them
                int first = rows.addRows(ts, m);
                for (int f = 0; f < 3; f++) {
                    if (absent[f] && !complete[f] && rnd.nextBoolean()) {
                        continue;
                    }
                    List<long[]> points = new ArrayList<>(); // ts, value bits
                    for (int r = 0; r < m; r++) {
                        if (present[r][f]) {
                            points.add(new long[]{ts[r], Double.doubleToRawLongBits(values[r][f])});
                        }
                        if (!complete[f] && rnd.nextInt(4) == 0 && (r + 1 == m || ts[r] + 1 < ts[r + 1])) {
                            points.add(new long[]{ts[r] + 1, Double.doubleToRawLongBits(99.0)});
                        }
                    }
                    long[] pts = points.stream().mapToLong(x -> x[0]).toArray();
                    double[] pv = points.stream().mapToDouble(x -> Double.longBitsToDouble(x[1])).toArray();
                    rows.setField(f, first, ts, m, pts, pv, pts.length);
                }
            }
        }
        List<Object[]> expected = new ArrayList<>(model);
        if (rnd.nextBoolean()) {
            FamilyOrder order = new FamilyOrder(List.of(new FamilyOrder.Key(0, rnd.nextBoolean(), false),
                    new FamilyOrder.Key(1 + 3, rnd.nextBoolean(), rnd.nextBoolean())));
            rows.order(order, LAYOUT);
            Integer[] idx = new Integer[model.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, modelOrder(order, keys)); // stable
            expected.clear();
            for (int i : idx) {
                expected.add(model.get(i));
            }
        }
        assertThat(rows.size()).isEqualTo(model.size());
        List<Object[]> first = drain(rows.arrays().enumerator());
        List<Object[]> second = drain(rows.arrays().enumerator());
        List<FamilyRow> lists = new ArrayList<>();
        for (FamilyRow r : rows.lists()) {
            lists.add(r);
        }
        assertThat(first).containsExactlyElementsOf(expected);
        assertThat(second).containsExactlyElementsOf(expected);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i)).isNotSameAs(second.get(i));
            assertThat(new ArrayList<Object>(lists.get(i))).containsExactly(expected.get(i));
            assertThat((Object) lists.get(i)).isEqualTo(Arrays.asList(expected.get(i)));
            for (int c = 0; c < cols.length; c++) { // the fields unboxed, as the result set's accessors read them
                boolean field = cols[c] >= 1 && cols[c] <= 3;
                assertThat(lists.get(i).isDouble(c)).isEqualTo(field);
                if (field) {
                    boolean[] wasNull = {!(expected.get(i)[c] == null)}; // the opposite of what it must become
                    double v = lists.get(i).getDouble(c, wasNull);
                    assertThat(wasNull[0]).isEqualTo(expected.get(i)[c] == null);
                    assertThat(Double.doubleToLongBits(v)) // NaN is a value too
                            .isEqualTo(Double.doubleToLongBits(expected.get(i)[c] == null ? 0.0 : (Double) expected.get(i)[c]));
                }
            }
            assertThat(lists.get(i).isDouble(-1)).isFalse();
            assertThat(lists.get(i).isDouble(cols.length)).isFalse();
        }
        for (int k = 0; k < 20 && !lists.isEmpty(); k++) { // rows compare as Calcite's comparable lists of their values
            int i = rnd.nextInt(lists.size());
            int j = rnd.nextBoolean() ? i : rnd.nextInt(lists.size());
            assertThat(Integer.signum(lists.get(i).compareTo(lists.get(j))))
                    .isEqualTo(Integer.signum(calciteList(expected.get(i)).compareTo(calciteList(expected.get(j)))));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static FlatLists.ComparableList calciteList(Object[] values) {
        return FlatLists.ofComparable((List) Arrays.asList(values));
    }

    private static Object[] modelRow(int[] cols, long ns, double[] values, boolean[] present, String[] tags) {
        Object[] row = new Object[cols.length];
        for (int i = 0; i < cols.length; i++) {
            int c = cols[i];
            row[i] = c == 0 ? (Object) Math.floorDiv(ns, 1_000_000L)
                    : c <= 3 ? (present[c - 1] ? (Object) values[c - 1] : null)
                    : c <= 5 ? tags[c - 4]
                    : (Object) ns;
        }
        return row;
    }

    /** The order's keys (ts, then host) over the model rows' (ns, tag set): Java's String order, nulls placed as asked. */
    private static Comparator<Integer> modelOrder(FamilyOrder order, List<long[]> keys) {
        FamilyOrder.Key ts = order.keys().get(0);
        FamilyOrder.Key host = order.keys().get(1);
        Comparator<String> byHost = Comparator.naturalOrder();
        if (host.descending()) {
            byHost = byHost.reversed();
        }
        Comparator<String> hosts = host.nullsFirst() ? Comparator.nullsFirst(byHost) : Comparator.nullsLast(byHost);
        Comparator<Long> millis = ts.descending() ? Comparator.<Long>reverseOrder() : Comparator.<Long>naturalOrder();
        return Comparator.<Integer, Long>comparing(i -> Math.floorDiv(keys.get(i)[0], 1_000_000L), millis)
                .thenComparing(i -> TAG_SETS[(int) keys.get(i)[1]][0], hosts);
    }

    private static List<Object[]> drain(Enumerator<Object[]> e) {
        List<Object[]> out = new ArrayList<>();
        while (e.moveNext()) {
            out.add(e.current());
        }
        e.close();
        return out;
    }
}
