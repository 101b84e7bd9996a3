package io.ugnos.bench.query;

import java.util.List;

/**
 * One TSBS devops query with its parameters drawn: which computation ({@link Kind}), how many of
 * the metrics it reads, which hosts, and the half-open time window {@code [startNanos, endNanos)}.
 *
 * @param name       TSBS's name, e.g. {@code single-groupby-1-1-1}
 * @param kind       the computation
 * @param metrics    the first {@code metrics} of {@link io.ugnos.bench.tsbs.TsbsDevopsGenerator#METRICS}
 * @param hostnames  the hosts the query is restricted to; empty means all hosts
 * @param startNanos inclusive window start (epoch ns); {@link Long#MIN_VALUE} when unbounded
 * @param endNanos   exclusive window end (epoch ns); {@link Long#MAX_VALUE} when unbounded
 */
public record TsbsQuery(String name, Kind kind, int metrics, List<String> hostnames, long startNanos,
                        long endNanos) {

    /** What a query computes; the SQL forms of each system follow these definitions. */
    public enum Kind {
        /** max of each metric per 1-minute bucket; columns: minute, max per metric. */
        SINGLE_GROUPBY,
        /** max of each metric per 1-hour bucket; columns: hour, max per metric. */
        CPU_MAX_ALL,
        /** avg of each metric per (1-hour bucket, host), all hosts; columns: hour, hostname, avg per metric. */
        DOUBLE_GROUPBY,
        /** rows with usage_user &gt; 90; columns: ts, hostname, the ten metrics. */
        HIGH_CPU,
        /** the latest row of each host; columns: hostname, ts, the ten metrics. */
        LASTPOINT,
        /** max(usage_user) per minute over all hosts before the end; the last five minutes; columns: minute, max. */
        GROUPBY_ORDERBY_LIMIT
    }

    /** Validates and copies the host list. */
    public TsbsQuery {
        hostnames = List.copyOf(hostnames);
        if (metrics < 1 || metrics > 10) {
            throw new IllegalArgumentException(name + ": metrics must be 1..10: " + metrics);
        }
        if (startNanos >= endNanos) {
            throw new IllegalArgumentException(name + ": empty window [" + startNanos + ", " + endNanos + ")");
        }
    }

    /** Whether the window has a lower bound. */
    public boolean hasStart() {
        return startNanos != Long.MIN_VALUE;
    }

    /** Whether the window has an upper bound. */
    public boolean hasEnd() {
        return endNanos != Long.MAX_VALUE;
    }

    /** Whether the query is restricted to {@link #hostnames()}. */
    public boolean byHost() {
        return !hostnames.isEmpty();
    }
}
