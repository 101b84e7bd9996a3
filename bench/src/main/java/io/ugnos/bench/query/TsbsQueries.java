package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Draws the TSBS devops query set over one generated dataset from one seed: windows start at a
 * random whole second inside the data (so they are not aligned to minute or hour buckets) and hosts
 * are random distinct subsets. The same seed and dataset give the same queries.
 */
public final class TsbsQueries {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;

    private TsbsQueries() {
    }

    /**
     * The query set: single-groupby-{1-1-1, 1-1-12, 1-8-1, 5-1-1, 5-1-12, 5-8-1}, cpu-max-all-{1,8},
     * double-groupby-{1,5,all}, high-cpu-{1,all}, lastpoint, groupby-orderby-limit.
     *
     * @throws IllegalArgumentException if the data has fewer than 8 hosts (single-groupby-1-8-1 needs 8)
     */
    public static List<TsbsQuery> draw(TsbsDevopsGenerator data, long seed) {
        if (data.hosts().size() < 8) {
            throw new IllegalArgumentException("the query set needs at least 8 hosts, the data has "
                    + data.hosts().size());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Draw d = new Draw(data, rnd);
        List<TsbsQuery> qs = new ArrayList<>();
        int[][] singles = {{1, 1, 1}, {1, 1, 12}, {1, 8, 1}, {5, 1, 1}, {5, 1, 12}, {5, 8, 1}};
        for (int[] s : singles) {
            long start = d.start(s[2] * HOUR);
            qs.add(new TsbsQuery("single-groupby-" + s[0] + "-" + s[1] + "-" + s[2], TsbsQuery.Kind.SINGLE_GROUPBY,
                    s[0], d.hosts(s[1]), start, start + s[2] * HOUR));
        }
        for (int h : new int[]{1, 8}) {
            long start = d.start(8 * HOUR);
            qs.add(new TsbsQuery("cpu-max-all-" + h, TsbsQuery.Kind.CPU_MAX_ALL, 10, d.hosts(h), start,
                    start + 8 * HOUR));
        }
        for (int m : new int[]{1, 5, 10}) {
            long start = d.start(12 * HOUR);
            qs.add(new TsbsQuery("double-groupby-" + (m == 10 ? "all" : m), TsbsQuery.Kind.DOUBLE_GROUPBY, m,
                    List.of(), start, start + 12 * HOUR));
        }
        long start = d.start(12 * HOUR);
        qs.add(new TsbsQuery("high-cpu-1", TsbsQuery.Kind.HIGH_CPU, 10, d.hosts(1), start, start + 12 * HOUR));
        start = d.start(12 * HOUR);
        qs.add(new TsbsQuery("high-cpu-all", TsbsQuery.Kind.HIGH_CPU, 10, List.of(), start, start + 12 * HOUR));
        qs.add(new TsbsQuery("lastpoint", TsbsQuery.Kind.LASTPOINT, 10, List.of(), Long.MIN_VALUE, Long.MAX_VALUE));
        long end = d.start(HOUR) + HOUR;
        qs.add(new TsbsQuery("groupby-orderby-limit", TsbsQuery.Kind.GROUPBY_ORDERBY_LIMIT, 1, List.of(),
                Long.MIN_VALUE, end));
        return qs;
    }

    /** The random draws over one dataset. */
    private record Draw(TsbsDevopsGenerator data, SplittableRandom rnd) {
        /** A whole-second start such that {@code [start, start + window)} lies inside the data. */
        long start(long window) {
            long seconds = Math.max(0, (data.durationNanos() - window) / SECOND);
            return data.startEpochNanos() + rnd.nextLong(seconds + 1) * SECOND;
        }

        List<String> hosts(int n) {
            List<Host> all = data.hosts();
            TreeSet<Integer> picked = new TreeSet<>();
            while (picked.size() < n) {
                picked.add(rnd.nextInt(all.size()));
            }
            return picked.stream().map(i -> all.get(i).hostname()).toList();
        }
    }
}
