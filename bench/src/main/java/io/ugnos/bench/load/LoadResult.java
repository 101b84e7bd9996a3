package io.ugnos.bench.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one load test run and what it checked.
 *
 * @param config     what ran
 * @param elapsedNanos how long the clients ran (start of the first to end of the last)
 * @param latencies  every client's latencies, merged
 * @param rowsAcked  rows in acknowledged insert batches
 * @param audit      the read-back of every row
 * @param errors     every failed operation (none is expected)
 * @param before     resources before the server and pool started
 * @param after      resources after both closed
 */
record LoadResult(LoadConfig config, long elapsedNanos, LatencyLog latencies, long rowsAcked, RowAudit audit,
                  List<String> errors, ResourceSnapshot before, ResourceSnapshot after) {
    /** Threads left over after close that count as a leak. */
    static final int THREAD_TOLERANCE = 0;
    /** File descriptors other than sockets left over after close that count as a leak (jars opened lazily by class loading). */
    static final int FD_TOLERANCE = 4;
    /**
     * Idle HTTP connections Avatica's client keeps per server address: its connection pool is one per
     * JVM (not per JDBC connection, since CALCITE-4676), keeps up to 25 sockets per route and 100 in
     * all ({@code avatica.pooled.connections.per.route}, {@code .max}) for reuse, and does not close
     * them when a JDBC connection closes. Up to this many more sockets after close are that pool.
     */
    static final int AVATICA_POOL_PER_ROUTE = 25;
    /** Heap growth that counts as a leak: Calcite's and Avatica's bounded caches may keep some plans. */
    static final long HEAP_TOLERANCE_BYTES = 64L << 20;

    double seconds() {
        return elapsedNanos / 1e9;
    }

    double rowsPerSecond() {
        return rowsAcked / seconds();
    }

    double queriesPerSecond() {
        return (latencies.count(OperationKind.SELECTIVE) + latencies.count(OperationKind.SCAN)) / seconds();
    }

    /** What leaked, or an empty list. */
    List<String> leaks() {
        List<String> out = new java.util.ArrayList<>();
        if (after.threads() > before.threads() + THREAD_TOLERANCE) {
            List<String> extra = new java.util.ArrayList<>(after.threadNames());
            before.threadNames().forEach(extra::remove);
            out.add("threads " + before.threads() + " -> " + after.threads() + ", new: " + extra);
        }
        if (before.hasFds()) {
            List<String> extra = new java.util.ArrayList<>(after.fdTargets());
            before.fdTargets().forEach(extra::remove);
            long sockets = extra.stream().filter(t -> t.startsWith("socket:")).count();
            long others = extra.size() - sockets;
            if (others > FD_TOLERANCE || sockets > Math.min(AVATICA_POOL_PER_ROUTE, config.remoteClients())) {
                out.add("file descriptors " + before.fds() + " -> " + after.fds() + ", new: " + extra);
            }
        }
        if (after.heapBytes() > before.heapBytes() + HEAP_TOLERANCE_BYTES) {
            out.add("heap after GC " + mb(before.heapBytes()) + " -> " + mb(after.heapBytes()) + " MB");
        }
        return out;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "ugnos load test: %d s, %d remote + %d embedded clients, %d series, %d rows per batch, durability %s%n",
                config.seconds(), config.remoteClients(), config.embeddedClients(), config.series(), config.batchRows(),
                config.durability().name().toLowerCase(Locale.ROOT));
        out.printf(Locale.ROOT, "cores %d, load average at end %.2f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println();
        out.println("| operation | count | per second | p50 ms | p99 ms |");
        out.println("|---|---:|---:|---:|---:|");
        for (OperationKind k : OperationKind.values()) {
            out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.2f |%n", k.name().toLowerCase(Locale.ROOT), latencies.count(k),
                    latencies.count(k) / seconds(), latencies.quantileMillis(k, 0.50), latencies.quantileMillis(k, 0.99));
        }
        out.println();
        out.printf(Locale.ROOT, "rows inserted (acknowledged): %d, %.0f rows/s; queries: %.1f /s%n", rowsAcked, rowsPerSecond(), queriesPerSecond());
        out.printf(Locale.ROOT, "read back: %d rows, missing %d, duplicated %d, unexpected %d; errors %d%n",
                audit.read(), audit.missing(), audit.duplicated(), audit.unexpected(), errors.size());
        out.println();
        out.println("| resource | before | after |");
        out.println("|---|---:|---:|");
        out.printf(Locale.ROOT, "| live threads | %d | %d |%n", before.threads(), after.threads());
        out.printf(Locale.ROOT, "| open file descriptors | %s | %s |%n", fds(before), fds(after));
        out.printf(Locale.ROOT, "| of which sockets | %s | %s |%n", sockets(before), sockets(after));
        out.printf(Locale.ROOT, "| heap after GC, MB | %.1f | %.1f |%n", mb(before.heapBytes()), mb(after.heapBytes()));
        List<String> leaks = leaks();
        out.println(leaks.isEmpty() ? "no leak" : "LEAK: " + leaks);
        errors.stream().limit(20).forEach(e -> out.println("ERROR " + e));
    }

    private static String fds(ResourceSnapshot s) {
        return s.hasFds() ? Long.toString(s.fds()) : "n/a";
    }

    private static String sockets(ResourceSnapshot s) {
        return s.hasFds() ? Long.toString(s.fdTargets().stream().filter(t -> t.startsWith("socket:")).count()) : "n/a";
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
