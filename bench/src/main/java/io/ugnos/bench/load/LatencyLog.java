package io.ugnos.bench.load;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The latencies of one client's operations, per {@link OperationKind}. One client writes its own log
 * without locking; the logs are merged after the clients have stopped.
 */
final class LatencyLog {
    private final Map<OperationKind, long[]> nanos = new EnumMap<>(OperationKind.class);
    private final Map<OperationKind, Integer> counts = new EnumMap<>(OperationKind.class);

    LatencyLog() {
        for (OperationKind k : OperationKind.values()) {
            nanos.put(k, new long[1024]);
            counts.put(k, 0);
        }
    }

    void record(OperationKind kind, long elapsedNanos) {
        int n = counts.get(kind);
        long[] a = nanos.get(kind);
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
            nanos.put(kind, a);
        }
        a[n] = elapsedNanos;
        counts.put(kind, n + 1);
    }

    int count(OperationKind kind) {
        return counts.get(kind);
    }

    /** Appends {@code other}'s latencies to this log. */
    void addAll(LatencyLog other) {
        for (OperationKind k : OperationKind.values()) {
            long[] theirs = other.nanos.get(k);
            for (int i = 0; i < other.count(k); i++) {
                record(k, theirs[i]);
            }
        }
    }

    /** The {@code q}-quantile (0..1) of {@code kind}'s latencies in milliseconds, or NaN when none were recorded. */
    double quantileMillis(OperationKind kind, double q) {
        int n = count(kind);
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos.get(kind), n);
        Arrays.sort(sorted);
        int index = (int) Math.min(n - 1, Math.ceil(q * n) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
