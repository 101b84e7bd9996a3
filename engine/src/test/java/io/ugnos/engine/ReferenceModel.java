package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.segment.BlockStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simplest possible database: every point in sorted maps, the retention watermark applied at read
 * time. The engine must agree with it on every scan and aggregate.
 */
final class ReferenceModel {
    final Map<String, Map<TagSet, TreeMap<Long, Double>>> data = new TreeMap<>();
    final Map<String, Long> deleteBefore = new HashMap<>();
    final Map<String, Long> seriesTtl = new HashMap<>();
    long databaseTtl;

    void write(WriteBatch batch) {
        for (var s : batch.runs().entrySet()) {
            var bySeries = data.computeIfAbsent(s.getKey(), k -> new HashMap<>());
            for (WriteBatch.Run r : s.getValue().values()) {
                var points = bySeries.computeIfAbsent(r.tags(), k -> new TreeMap<>());
                for (int i = 0; i < r.size(); i++) {
                    points.put(r.timestamp(i), r.value(i));
                }
            }
        }
    }

    long watermark(String series, long now) {
        long w = deleteBefore.getOrDefault(series, Long.MIN_VALUE);
        long ttl = seriesTtl.getOrDefault(series, databaseTtl);
        if (ttl > 0) {
            long e = now - ttl;
            w = Math.max(w, e > now ? Long.MIN_VALUE : e);
        }
        return w;
    }

    /** Visible points per tag set. */
    Map<TagSet, TreeMap<Long, Double>> scan(String series, TimeRange range, TagPredicate p, long now) {
        Map<TagSet, TreeMap<Long, Double>> out = new HashMap<>();
        long lo = Math.max(range.start(), watermark(series, now));
        if (lo > range.end()) {
            return out;
        }
        for (var e : data.getOrDefault(series, Map.of()).entrySet()) {
            if (!p.test(e.getKey())) {
                continue;
            }
            var sub = new TreeMap<>(e.getValue().subMap(lo, true, range.end(), true));
            if (!sub.isEmpty()) {
                out.put(e.getKey(), sub);
            }
        }
        return out;
    }

    /** One aggregate row of the model; tag sets are visited in the order given (the engine's ids). */
    record Row(long bucket, List<String> group, long count, double sum, double min, double max, double first, double last) {
    }

    List<Row> aggregate(String series, TimeRange range, TagPredicate p, long width, long origin, List<String> groupBy,
                        long now, List<TagSet> idOrder) {
        var visible = scan(series, range, p, now);
        Map<List<String>, TreeMap<Long, double[]>> acc = new HashMap<>();
        Map<List<String>, TreeMap<Long, long[]>> times = new HashMap<>();
        for (TagSet t : idOrder) {
            var pts = visible.get(t);
            if (pts == null) {
                continue;
            }
            List<String> g = new ArrayList<>();
            for (String k : groupBy) {
                g.add(t.get(k));
            }
            for (var e : pts.entrySet()) {
                long ts = e.getKey();
                double v = e.getValue();
                long b = width == 0 ? Math.max(range.start(), watermark(series, now)) : bucket(ts, width, origin);
                double[] a = acc.computeIfAbsent(g, x -> new TreeMap<>()).get(b);
                long[] tt = times.computeIfAbsent(g, x -> new TreeMap<>()).get(b);
                if (a == null) {
                    acc.get(g).put(b, new double[]{1, v, v, v, v, v});
                    times.get(g).put(b, new long[]{ts, ts});
                    continue;
                }
                a[0]++;
                a[1] += v;
                a[2] = BlockStats.min(a[2], v);
                a[3] = BlockStats.max(a[3], v);
                if (ts < tt[0]) {
                    tt[0] = ts;
                    a[4] = v;
                }
                if (ts >= tt[1]) {
                    tt[1] = ts;
                    a[5] = v;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (var g : acc.entrySet()) {
            for (var b : g.getValue().entrySet()) {
                double[] a = b.getValue();
                rows.add(new Row(b.getKey(), g.getKey(), (long) a[0], a[1], a[2], a[3], a[4], a[5]));
            }
        }
        return rows;
    }

    static long bucket(long ts, long width, long origin) {
        return java.math.BigInteger.valueOf(ts).subtract(java.math.BigInteger.valueOf(origin))
                .subtract(java.math.BigInteger.valueOf(ts).subtract(java.math.BigInteger.valueOf(origin))
                        .mod(java.math.BigInteger.valueOf(width)))
                .add(java.math.BigInteger.valueOf(origin)).max(java.math.BigInteger.valueOf(Long.MIN_VALUE)).longValue();
    }
}
