package io.ugnos.sql.schema;

import java.util.Arrays;
import java.util.List;

/**
 * The order in which a family scan emits its rows, {@code ORDER BY ts, hostname} for example, so
 * that Calcite needs no sort of its own above the scan. Keys are table columns: {@code ts},
 * {@code ts_ns} or tag columns (fields are left to Calcite's sort). Each key has a direction and
 * a place for NULLs (a tag set without the key); ties keep the scan's order.
 *
 * <p>The scan sorts row numbers by primitive keys (milliseconds, nanoseconds, a rank per tag set
 * and key), not the rows: Calcite's sort puts every row into a TreeMap by its boxed key values.
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
     * The row numbers of {@code n} rows (built per tag set, ascending in time within one) in this order.
     *
     * @param ns        the timestamp of each row
     * @param tagSet    the tag set number of each row, an index into {@code tagValues}
     * @param tagValues per tag set, its value of each tag key of {@code layout} (null when absent)
     */
    int[] sort(FamilyTable.Layout layout, int n, long[] ns, int[] tagSet, List<Object[]> tagValues) {
        int[][] rank = new int[keys.size()][];
        for (int k = 0; k < keys.size(); k++) {
            Key key = keys.get(k);
            String tag = layout.tagKey(key.column());
            if (tag != null) {
                rank[k] = ranks(tagValues, layout.tagKeys().indexOf(tag), key);
            }
        }
        // each key as a primitive array per row, larger meaning later: time negated bitwise when
        // descending (~t reverses the order without overflowing), a tag's rank per tag set
        long[][] time = new long[keys.size()][];
        for (int k = 0; k < keys.size(); k++) {
            Key key = keys.get(k);
            if (rank[k] == null) {
                long[] t = new long[n];
                boolean millis = layout.isTs(key.column());
                for (int i = 0; i < n; i++) {
                    long v = millis ? Math.floorDiv(ns[i], NANOS_PER_MILLI) : ns[i];
                    t[i] = key.descending() ? ~v : v;
                }
                time[k] = t;
            }
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        new RowSort(time, rank, tagSet).sort(idx);
        return idx;
    }

    /**
     * A stable merge sort of row numbers by the keys, without boxing: it finds the runs already in
     * order (a scan's rows come as one run per tag set, ascending in time) and merges them pairwise.
     */
    private record RowSort(long[][] time, int[][] rank, int[] tagSet) {
        int compare(int a, int b) {
            for (int k = 0; k < time.length; k++) {
                int c = time[k] != null ? Long.compare(time[k][a], time[k][b])
                        : Integer.compare(rank[k][tagSet[a]], rank[k][tagSet[b]]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }

        void sort(int[] idx) {
            int n = idx.length;
            // run boundaries: starts of maximal non-descending runs
            int[] bounds = new int[n + 1];
            int runs = 0;
            for (int i = 0; i < n; i++) {
                if (i == 0 || compare(idx[i - 1], idx[i]) > 0) {
                    bounds[runs++] = i;
                }
            }
            bounds[runs] = n;
            int[] src = idx;
            int[] dst = new int[n];
            while (runs > 1) {
                int merged = 0;
                for (int r = 0; r < runs; r += 2) {
                    int lo = bounds[r];
                    int mid = bounds[Math.min(r + 1, runs)];
                    int hi = bounds[Math.min(r + 2, runs)];
                    merge(src, dst, lo, mid, hi);
                    bounds[merged++] = lo;
                }
                bounds[merged] = n;
                runs = merged;
                int[] t = src;
                src = dst;
                dst = t;
            }
            if (src != idx) {
                System.arraycopy(src, 0, idx, 0, n);
            }
        }

        /** Merges src[lo, mid) and src[mid, hi) into dst[lo, hi), the left first on ties. */
        private void merge(int[] src, int[] dst, int lo, int mid, int hi) {
            int i = lo;
            int j = mid;
            int o = lo;
            while (i < mid && j < hi) {
                dst[o++] = compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
            }
            while (i < mid) {
                dst[o++] = src[i++];
            }
            while (j < hi) {
                dst[o++] = src[j++];
            }
        }
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
