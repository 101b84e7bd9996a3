package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The queries over TSBS's wide {@code cpu} table (ts, ten tags, ten metrics), in DuckDB's or
 * QuestDB's SQL. QuestDB buckets with {@code SAMPLE BY … ALIGN TO CALENDAR} (UTC), takes the last
 * point per host with {@code LATEST ON}, and answers groupby-orderby-limit by ordering the sampled
 * minutes descending: its {@code LIMIT 5} on an ascending {@code SAMPLE BY} would return the first
 * five minutes, not the last.
 */
public final class WideDialect implements QueryDialect {
    private final boolean questDb;

    private WideDialect(boolean questDb) {
        this.questDb = questDb;
    }

    /** DuckDB, {@code date_trunc} buckets, {@code DISTINCT ON} for lastpoint. */
    public static WideDialect duckDb() {
        return new WideDialect(false);
    }

    /** QuestDB, {@code SAMPLE BY} buckets, {@code LATEST ON} for lastpoint. */
    public static WideDialect questDb() {
        return new WideDialect(true);
    }

    @Override
    public String sql(TsbsQuery q) {
        return switch (q.kind()) {
            case SINGLE_GROUPBY -> perBucket(q, "minute", "1m", "max", false);
            case CPU_MAX_ALL -> perBucket(q, "hour", "1h", "max", false);
            case DOUBLE_GROUPBY -> perBucket(q, "hour", "1h", "avg", true);
            case HIGH_CPU -> "SELECT ts, hostname, " + metrics(q.metrics(), i -> "%s") + " FROM cpu WHERE "
                    + where(q, "usage_user > 90") + " ORDER BY ts, hostname";
            case LASTPOINT -> questDb
                    ? "SELECT hostname, ts, " + metrics(10, i -> "%s") + " FROM cpu LATEST ON ts PARTITION BY hostname"
                    : "SELECT DISTINCT ON (hostname) hostname, ts, " + metrics(10, i -> "%s")
                    + " FROM cpu ORDER BY hostname, ts DESC";
            case GROUPBY_ORDERBY_LIMIT -> questDb
                    ? "SELECT * FROM (SELECT ts AS b, max(usage_user) AS v FROM cpu WHERE " + where(q, null)
                    + " SAMPLE BY 1m ALIGN TO CALENDAR) ORDER BY b DESC LIMIT 5"
                    : "SELECT date_trunc('minute', ts) AS b, max(usage_user) AS v FROM cpu WHERE " + where(q, null)
                    + " GROUP BY b ORDER BY b DESC LIMIT 5";
        };
    }

    private String perBucket(TsbsQuery q, String unit, String sample, String agg, boolean perHost) {
        String aggs = metrics(q.metrics(), i -> agg + "(%s) AS %<s");
        String keys = perHost ? "b, hostname" : "b";
        if (questDb) {
            return "SELECT ts AS b" + (perHost ? ", hostname" : "") + ", " + aggs + " FROM cpu WHERE " + where(q, null)
                    + " SAMPLE BY " + sample + " ALIGN TO CALENDAR ORDER BY " + keys;
        }
        return "SELECT date_trunc('" + unit + "', ts) AS b" + (perHost ? ", hostname" : "") + ", " + aggs
                + " FROM cpu WHERE " + where(q, null) + " GROUP BY " + keys + " ORDER BY " + keys;
    }

    private static String metrics(int n, IntFunction<String> format) {
        return IntStream.range(0, n).mapToObj(i -> String.format(format.apply(i), TsbsDevopsGenerator.METRICS.get(i)))
                .collect(Collectors.joining(", "));
    }

    private String where(TsbsQuery q, String extra) {
        List<String> c = new ArrayList<>();
        if (extra != null) {
            c.add(extra);
        }
        if (q.byHost()) {
            c.add("hostname IN " + SqlText.stringList(q.hostnames()));
        }
        if (q.hasStart()) {
            c.add("ts >= " + literal(q.startNanos()));
        }
        if (q.hasEnd()) {
            c.add("ts < " + literal(q.endNanos()));
        }
        return c.isEmpty() ? "true" : String.join(" AND ", c);
    }

    private String literal(long nanos) {
        return questDb ? SqlText.isoString(nanos) : SqlText.timestamp(nanos);
    }
}
