package io.ugnos.bench;

import io.ugnos.bench.peer.DuckDbLoader;
import io.ugnos.bench.peer.DuckDbSize;
import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The storage engine on TSBS devops cpu-only data: write throughput, bytes per point after
 * compaction (next to DuckDB on the same points), and scan/aggregate throughput for one host and
 * for all hosts over the whole period.
 *
 * <pre>java -cp ... io.ugnos.bench.StorageBenchmark [hosts=100] [hours=24] [--no-duckdb]</pre>
 */
public final class StorageBenchmark {
    private static final long SEED = 20261124L;
    private static final long HOUR = 3_600_000_000_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final String SERIES = "cpu.usage_user";

    private StorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        boolean duck = !List.of(args).contains("--no-duckdb");
        System.out.printf(Locale.ROOT, "ugnos storage benchmark: TSBS devops cpu-only, %d hosts x %d h, 10 metrics, 10 s interval%n",
                hosts, hours);
        System.out.printf(Locale.ROOT, "JVM %s, %d cores%n%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        for (boolean integer : new boolean[]{true, false}) {
            run(hosts, hours, integer, duck);
        }
    }

    private static void run(int hostCount, int hours, boolean integer, boolean duck) throws Exception {
        String variant = integer ? "integer-valued (TSBS)" : "real-valued";
        TsbsDevopsGenerator gen = new TsbsDevopsGenerator(SEED, hostCount, START, hours * HOUR, integer);
        List<WriteBatch> batches = batchesPerHour(gen);
        Path dir = Files.createTempDirectory("ugnos-bench");
        try {
            long points = gen.points();
            long t0 = System.nanoTime();
            try (Database db = Database.open(dir, DatabaseOptions.defaults())) {
                for (WriteBatch b : batches) {
                    db.write(b);
                }
                long writeNanos = System.nanoTime() - t0;
                batches.clear();
                db.compact();
                long totalNanos = System.nanoTime() - t0;
                Database.StorageSummary s = db.storage();
                System.out.printf(Locale.ROOT, "== %s: %,d points%n", variant, points);
                System.out.printf(Locale.ROOT, "write, 1 thread, batches of one hour (%,d points): %,.0f points/s "
                                + "(%,.0f points/s including the final compaction)%n",
                        points / hours, points / (writeNanos / 1e9), points / (totalNanos / 1e9));
                System.out.printf(Locale.ROOT, "after compaction: %d segments, %,d bytes on disk = %.3f bytes/point; "
                                + "timestamps+values alone %.3f bytes/point (blocks incl. framing %.3f)%n",
                        s.segments(), s.fileBytes(), (double) s.fileBytes() / s.points(),
                        (double) s.payloadBytes() / s.points(), (double) s.blockBytes() / s.points());
                if (duck) {
                    compareWithDuckDb(gen, s);
                }
                queries(db, gen);
            }
        } finally {
            deleteRecursively(dir);
        }
        System.out.println();
    }

    /** One batch per hour of data, holding all hosts and metrics. */
    private static List<WriteBatch> batchesPerHour(TsbsDevopsGenerator gen) {
        List<WriteBatch> batches = new ArrayList<>();
        List<Host> hosts = gen.hosts();
        TagSet[] tags = hosts.stream().map(h -> TagSet.of(h.tags())).toArray(TagSet[]::new);
        List<String> metrics = TsbsDevopsGenerator.METRICS;
        WriteBatch.Run[][] runs = new WriteBatch.Run[metrics.size()][hosts.size()];
        long[] currentHour = {Long.MIN_VALUE};
        gen.forEachRow((ts, h, values) -> {
            long hour = (ts - START) / HOUR;
            if (hour != currentHour[0]) {
                currentHour[0] = hour;
                WriteBatch b = new WriteBatch();
                batches.add(b);
                for (int m = 0; m < metrics.size(); m++) {
                    for (int i = 0; i < hosts.size(); i++) {
                        runs[m][i] = b.run("cpu." + metrics.get(m), tags[i]);
                    }
                }
            }
            for (int m = 0; m < values.length; m++) {
                runs[m][h].add(ts, values[m]);
            }
        });
        return batches;
    }

    private static void compareWithDuckDb(TsbsDevopsGenerator gen, Database.StorageSummary s) throws Exception {
        Path tmp = Files.createTempDirectory("ugnos-bench-duckdb");
        try {
            DuckDbSize d = DuckDbLoader.load(gen, tmp.resolve("narrow.duckdb"), DuckDbLoader.Layout.NARROW,
                    DuckDbLoader.RowOrder.BY_HOST);
            double ugnos = (double) s.payloadBytes() / s.points();
            System.out.printf(Locale.ROOT, "DuckDB %s (narrow tables ordered by host, time), same points: "
                            + "ts+value columns %.3f bytes/point, file %.3f bytes/point -> ugnos/DuckDB ts+value ratio %.2f, "
                            + "file ratio %.2f%n",
                    duckDbVersion(),
                    d.tsValueBytesPerPoint(), d.fileBytesPerPoint(), ugnos / d.tsValueBytesPerPoint(),
                    ((double) s.fileBytes() / s.points()) / d.fileBytesPerPoint());
        } finally {
            deleteRecursively(tmp);
        }
    }

    private static String duckDbVersion() throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             var rs = c.createStatement().executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void queries(Database db, TsbsDevopsGenerator gen) {
        TimeRange all = TimeRange.ALL;
        TagPredicate oneHost = TagPredicate.eq("hostname", gen.hosts().get(gen.hosts().size() / 2).hostname());
        report("scan, one host, whole period", () -> scan(db, oneHost, all));
        report("scan, all hosts, whole period", () -> scan(db, TagPredicate.ALL, all));
        long day = 24 * HOUR;
        report("aggregate max/sum per day from block headers, one host", () -> aggregate(db, oneHost, day));
        report("aggregate max/sum per day from block headers, all hosts", () -> aggregate(db, TagPredicate.ALL, day));
        report("aggregate max/sum per hour (decodes every point), one host", () -> aggregate(db, oneHost, HOUR));
        report("aggregate max/sum per hour (decodes every point), all hosts", () -> aggregate(db, TagPredicate.ALL, HOUR));
        report("max/sum by decoding every point in the caller, all hosts", () -> scanAndFold(db));
    }

    private static long scan(Database db, TagPredicate p, TimeRange r) {
        long n = 0;
        try (ScanCursor c = db.scan(ScanRequest.of(SERIES, r, p))) {
            while (c.next()) {
                n += c.batch().size();
            }
        }
        return n;
    }

    private static long scanAndFold(Database db) {
        long n = 0;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        try (ScanCursor c = db.scan(ScanRequest.all(SERIES).withProjection(false, true))) {
            while (c.next()) {
                PointBatch b = c.batch();
                double[] v = b.values();
                for (int i = 0; i < b.size(); i++) {
                    max = Math.max(max, v[i]);
                    sum += v[i];
                }
                n += b.size();
            }
        }
        return sum > max ? n : n; // keep the fold alive
    }

    private static long aggregate(Database db, TagPredicate p, long width) {
        AggregateResult r = db.aggregate(new AggregateRequest(SERIES, TimeRange.ALL, p, width, START,
                Set.of(AggFn.MAX, AggFn.SUM), List.of("hostname")));
        return r.rows().stream().mapToLong(x -> x.count()).sum();
    }

    /** Runs {@code op} repeatedly for at least a second after a warm-up; prints points/s of the median run. */
    private static void report(String name, LongSupplier op) {
        for (int i = 0; i < 3; i++) {
            op.getAsLong();
        }
        List<Double> rates = new ArrayList<>();
        long points = 0;
        long deadline = System.nanoTime() + 1_000_000_000L;
        List<Long> times = new ArrayList<>();
        while (System.nanoTime() < deadline || times.size() < 5) {
            long t = System.nanoTime();
            points = op.getAsLong();
            long dt = System.nanoTime() - t;
            times.add(dt);
            rates.add(points / (dt / 1e9));
        }
        rates.sort(Comparator.naturalOrder());
        times.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "%-62s %,14.0f points/s  (%,d points, median %.3f ms over %d runs)%n", name,
                rates.get(rates.size() / 2), points, times.get(times.size() / 2) / 1e6, times.size());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
