package io.ugnos.bench.query;

import java.util.Arrays;
import java.util.List;

/**
 * Latency figures of one query on one system: medians of planning, execution and their sum, and
 * the 95th percentile of the sum (nearest rank), over the timed repetitions.
 *
 * @param runs       timed repetitions
 * @param rows       rows the query returned
 * @param planMedian median planning time, ns
 * @param execMedian median execution time, ns
 * @param median     median of planning + execution, ns
 * @param p95        95th percentile of planning + execution, ns
 */
public record LatencyStats(int runs, long rows, double planMedian, double execMedian, double median, double p95) {

    /** Summarises timed runs; at least one. */
    public static LatencyStats of(List<Execution> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no timed runs");
        }
        long[] plan = runs.stream().mapToLong(Execution::planNanos).toArray();
        long[] exec = runs.stream().mapToLong(Execution::execNanos).toArray();
        long[] total = runs.stream().mapToLong(Execution::totalNanos).toArray();
        return new LatencyStats(runs.size(), runs.get(0).rowCount(), median(plan), median(exec), median(total),
                percentile(total, 0.95));
    }

    static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
    static double percentile(long[] v, double p) {
        long[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p * s.length);
        return s[Math.max(0, rank - 1)];
    }
}
