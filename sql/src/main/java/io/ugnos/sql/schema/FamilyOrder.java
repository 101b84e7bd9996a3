package io.ugnos.sql.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a family scan emits its rows, {@code ORDER BY ts, hostname} for example, so
 * that Calcite needs no sort of its own above the scan. Keys are table columns: {@code ts},
 * {@code ts_ns} or tag columns (fields are left to Calcite's sort). Each key has a direction and
 * a place for NULLs (a tag set without the key); ties keep the scan's order.
 *
 * <p>The scan sorts row numbers by primitive keys (milliseconds, nanoseconds, a rank per tag set
 * and key), not the rows: Calcite's sort compares boxed column values row by row.
 *
 * @param keys the sort keys, most significant first
 */
public record FamilyOrder(List<Key> keys) {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    public FamilyOrder {
        keys = List.copyOf(keys);
    }

    /**
     * One sort key.
     *
     * @param column     a table column: ts, ts_ns or a tag column
     * @param descending whether larger values come first
     * @param nullsFirst whether NULL comes before every value (only tag columns can be NULL)
     */
    public record Key(int column, boolean descending, boolean nullsFirst) {
    }

    /**
     * Whether a scan can order rows by table column {@code column}: the time columns and tags.
     */
    public static boolean canOrderBy(FamilyTable.Layout layout, int column) {
        return layout.isTs(column) || layout.isTsNanos(column) || layout.tagKey(column) != null;
    }

    /**
     * Reorders {@code rows} (built per tag set, ascending in time within one).
     *
     * @param ns        the timestamp of each row
     * @param tagSet    the tag set number of each row, an index into {@code tagValues}
     * @param tagValues per tag set, its value of each tag key of {@code layout} (null when absent)
     */
    List<Object[]> sort(FamilyTable.Layout layout, List<Object[]> rows, long[] ns, int[] tagSet, List<Object[]> tagValues) {
        int n = rows.size();
        int[][] rank = new int[keys.size()][];
        for (int k = 0; k < keys.size(); k++) {
            Key key = keys.get(k);
            String tag = layout.tagKey(key.column());
            if (tag != null) {
                rank[k] = ranks(tagValues, layout.tagKeys().indexOf(tag), key);
            }
        }
        long[] ms = new long[n];
        for (int i = 0; i < n; i++) {
            ms[i] = Math.floorDiv(ns[i], NANOS_PER_MILLI);
        }
        Comparator<Integer> order = (a, b) -> {
            for (int k = 0; k < rank.length; k++) {
                Key key = keys.get(k);
                int c;
                if (rank[k] != null) {
                    c = Integer.compare(rank[k][tagSet[a]], rank[k][tagSet[b]]); // direction and NULLs are in the rank
                } else {
                    long[] t = layout.isTs(key.column()) ? ms : ns;
                    c = key.descending() ? Long.compare(t[b], t[a]) : Long.compare(t[a], t[b]);
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        // a stable merge sort that finds the ascending runs (one per tag set) and merges them
        Arrays.sort(idx, order);
        List<Object[]> out = new ArrayList<>(n);
        for (Integer i : idx) {
            out.add(rows.get(i));
        }
        return out;
    }

    /**
     * A number per tag set whose ascending order is the key's order of its values: values sorted as
     * Calcite compares VARCHAR ({@link String#compareTo}), reversed when descending, NULL first or last.
     */
    private static int[] ranks(List<Object[]> tagValues, int tagIndex, Key key) {
        String[] distinct = tagValues.stream().map(v -> (String) v[tagIndex]).filter(java.util.Objects::nonNull)
                .distinct().sorted().toArray(String[]::new);
        int[] rank = new int[tagValues.size()];
        for (int t = 0; t < rank.length; t++) {
            String v = (String) tagValues.get(t)[tagIndex];
            if (v == null) {
                rank[t] = key.nullsFirst() ? -1 : distinct.length;
            } else {
                int r = Arrays.binarySearch(distinct, v);
                rank[t] = key.descending() ? distinct.length - 1 - r : r;
            }
        }
        return rank;
    }
}
