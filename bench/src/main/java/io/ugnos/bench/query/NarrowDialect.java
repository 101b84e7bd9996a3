package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The queries over one table per metric ({@code ts, value, hostname}), as ugnos stores series and as
 * DuckDB's narrow layout mirrors them. A query over several metrics aggregates each metric in its
 * own subquery (where the time window and hosts can be pushed into each scan) and joins the
 * subqueries on their group keys; high-cpu and lastpoint join the other metrics' rows on
 * (ts, hostname).
 */
public final class NarrowDialect implements QueryDialect {

    /** The one place where ugnos's bucket expression is chosen (the planner's time_bucket will replace FLOOR). */
    public static NarrowDialect ugnos() {
        return new NarrowDialect(m -> "\"cpu." + m + "\"", unit -> "FLOOR(ts TO " + unit + ")", true);
    }

    /** DuckDB's narrow tables {@code cpu_<metric>} (see {@link io.ugnos.bench.peer.DuckDbLoader}). */
    public static NarrowDialect duckDb() {
        return new NarrowDialect(m -> "cpu_" + m, unit -> "date_trunc('" + unit.toLowerCase(java.util.Locale.ROOT) + "', ts)", false);
    }

    private final Function<String, String> table;
    private final Function<String, String> bucket;
    private final boolean ugnosForms;

    /**
     * @param table  the table of a metric, e.g. {@code usage_user -> "cpu.usage_user"}
     * @param bucket the bucket expression over {@code ts} for {@code MINUTE} or {@code HOUR}
     */
    public NarrowDialect(Function<String, String> table, Function<String, String> bucket, boolean ugnosForms) {
        this.table = table;
        this.bucket = bucket;
        this.ugnosForms = ugnosForms;
    }

    @Override
    public String sql(TsbsQuery q) {
        return switch (q.kind()) {
            // several metrics: one multi-series engine aggregate over the family table instead of a
            // join of per-metric aggregates (the metrics not aggregated are passed over from their
            // index entries where the aggregated ones already have every bucket); one metric is one
            // series with no join, and the family form would also ask every other metric
            case SINGLE_GROUPBY -> ugnosForms && q.metrics() > 1 ? groupbyFromFamily(q, "MINUTE", "MAX", false)
                    : perBucket(q, "MINUTE", "MAX", false);
            case CPU_MAX_ALL -> ugnosForms ? groupbyFromFamily(q, "HOUR", "MAX", false) : perBucket(q, "HOUR", "MAX", false);
            case DOUBLE_GROUPBY -> ugnosForms && q.metrics() > 1 ? groupbyFromFamily(q, "HOUR", "AVG", true)
                    : perBucket(q, "HOUR", "AVG", true);
            case HIGH_CPU -> ugnosForms ? highCpuFromFamily(q) : highCpu(q);
            case LASTPOINT -> ugnosForms ? lastpointFromFamily() : lastpoint();
            case GROUPBY_ORDERBY_LIMIT -> "SELECT " + bucket.apply("MINUTE") + " AS b, MAX(value) AS v FROM "
                    + table(0) + " WHERE " + where(q) + " GROUP BY " + bucket.apply("MINUTE") + " ORDER BY b DESC LIMIT 5";
        };
    }

    private String table(int metric) {
        return table.apply(TsbsDevopsGenerator.METRICS.get(metric));
    }

    private static String where(TsbsQuery q) {
        List<String> c = new ArrayList<>();
        if (q.byHost()) {
            c.add("hostname IN " + SqlText.stringList(q.hostnames()));
        }
        if (q.hasStart()) {
            c.add("ts >= " + SqlText.timestamp(q.startNanos()));
        }
        if (q.hasEnd()) {
            c.add("ts < " + SqlText.timestamp(q.endNanos()));
        }
        return c.isEmpty() ? "TRUE" : String.join(" AND ", c);
    }

    private String perBucket(TsbsQuery q, String unit, String agg, boolean perHost) {
        String b = bucket.apply(unit);
        StringBuilder select = new StringBuilder("SELECT m0.b AS b");
        if (perHost) {
            select.append(", m0.h AS hostname");
        }
        StringBuilder from = new StringBuilder();
        for (int m = 0; m < q.metrics(); m++) {
            String alias = "m" + m;
            select.append(", ").append(alias).append(".v AS ").append(TsbsDevopsGenerator.METRICS.get(m));
            String sub = "(SELECT " + b + " AS b" + (perHost ? ", hostname AS h" : "") + ", " + agg + "(value) AS v FROM "
                    + table(m) + " WHERE " + where(q) + " GROUP BY " + b + (perHost ? ", hostname" : "") + ") " + alias;
            if (m == 0) {
                from.append(" FROM ").append(sub);
            } else {
                from.append(" JOIN ").append(sub).append(" ON ").append(alias).append(".b = m0.b");
                if (perHost) {
                    from.append(" AND ").append(alias).append(".h = m0.h");
                }
            }
        }
        return select + from.toString() + " ORDER BY b" + (perHost ? ", hostname" : "");
    }

    /**
     * high-cpu over ugnos's family table {@code cpu} (the series {@code cpu.*} aligned by host and
     * time in the engine), instead of joining the ten series in SQL.
     */
    private String highCpuFromFamily(TsbsQuery q) {
        StringBuilder metrics = new StringBuilder();
        for (int m = 0; m < q.metrics(); m++) {
            metrics.append(", ").append(TsbsDevopsGenerator.METRICS.get(m));
        }
        return "SELECT ts, hostname" + metrics + " FROM cpu WHERE usage_user > 90 AND " + where(q) + " ORDER BY ts, hostname";
    }

    /**
     * single-groupby, cpu-max-all and double-groupby over ugnos's family table {@code cpu}: the
     * planner computes it as one engine aggregate over the metric series merged by bucket (and
     * host), with no join in SQL. Its groups are those in which any metric has a point; TSBS writes
     * every metric of a row, so they are the join's.
     */
    private String groupbyFromFamily(TsbsQuery q, String unit, String agg, boolean perHost) {
        String b = bucket.apply(unit);
        StringBuilder select = new StringBuilder("SELECT " + b + " AS b" + (perHost ? ", hostname" : ""));
        for (int m = 0; m < q.metrics(); m++) {
            String metric = TsbsDevopsGenerator.METRICS.get(m);
            select.append(", ").append(agg).append('(').append(metric).append(") AS ").append(metric);
        }
        return select + " FROM cpu WHERE " + where(q) + " GROUP BY " + b + (perHost ? ", hostname" : "")
                + " ORDER BY b" + (perHost ? ", hostname" : "");
    }

    /**
     * lastpoint over the family table: {@code last(metric, ts)} per host, computed as one engine
     * aggregate per metric series merged by host. Every metric of a TSBS row shares its timestamp,
     * so this is the latest row per host.
     */
    private String lastpointFromFamily() {
        StringBuilder select = new StringBuilder("SELECT hostname, MAX(ts) AS ts");
        for (String metric : TsbsDevopsGenerator.METRICS) {
            select.append(", last(").append(metric).append(", ts) AS ").append(metric);
        }
        return select + " FROM cpu GROUP BY hostname ORDER BY hostname";
    }

    private String highCpu(TsbsQuery q) {
        StringBuilder select = new StringBuilder("SELECT m0.ts AS ts, m0.hostname AS hostname");
        StringBuilder from = new StringBuilder();
        for (int m = 0; m < q.metrics(); m++) {
            String alias = "m" + m;
            select.append(", ").append(alias).append(".value AS ").append(TsbsDevopsGenerator.METRICS.get(m));
            String sub = "(SELECT ts, hostname, value FROM " + table(m) + " WHERE " + where(q)
                    + (m == 0 ? " AND value > 90" : "") + ") " + alias;
            from.append(m == 0 ? " FROM " : " JOIN ").append(sub);
            if (m > 0) {
                from.append(" ON ").append(alias).append(".ts = m0.ts AND ").append(alias).append(".hostname = m0.hostname");
            }
        }
        return select + from.toString() + " ORDER BY ts, hostname";
    }

    private String lastpoint() {
        StringBuilder select = new StringBuilder("SELECT l.hostname AS hostname, l.ts AS ts");
        StringBuilder from = new StringBuilder(" FROM (SELECT hostname, MAX(ts) AS ts FROM " + table(0)
                + " GROUP BY hostname) l");
        for (int m = 0; m < TsbsDevopsGenerator.METRICS.size(); m++) {
            String alias = "m" + m;
            select.append(", ").append(alias).append(".value AS ").append(TsbsDevopsGenerator.METRICS.get(m));
            from.append(" JOIN ").append(table(m)).append(' ').append(alias).append(" ON ").append(alias)
                    .append(".hostname = l.hostname AND ").append(alias).append(".ts = l.ts");
        }
        return select + from.toString() + " ORDER BY hostname";
    }
}
