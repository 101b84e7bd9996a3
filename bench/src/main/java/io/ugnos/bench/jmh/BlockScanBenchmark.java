package io.ugnos.bench.jmh;

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
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a compacted on-disk database through the engine's block scan: {@link Database#scan} and
 * {@link Database#aggregate} on one series, {@code cpu.usage_user} of the TSBS devops data
 * (integer-valued), {@value #HOSTS} hosts × 24 h at 10 s = {@value #ALL_POINTS} points, written one
 * hour per batch, flushed and fully compacted once per trial. Scores are points read per
 * microsecond (millions of points per second): each benchmark declares the points its request
 * covers as its operations, so the four are comparable.
 *
 * <p>Run as {@link CodecBenchmark} is (see docs/benchmarks.md):
 * <pre>
 * java -cp "$CP" org.openjdk.jmh.Main BlockScanBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BlockScanBenchmark {
    static final int HOSTS = 10;
    static final long SECOND = 1_000_000_000L;
    static final long HOUR = 3_600 * SECOND;
    static final long START = 1_767_225_600L * SECOND; // 2026-01-01T00:00:00Z
    static final String SERIES = "cpu.usage_user";
    static final int POINTS_PER_HOUR = 360;
    static final int ALL_POINTS = HOSTS * 24 * POINTS_PER_HOUR;
    static final int ONE_HOST_HOUR = POINTS_PER_HOUR;
    static final int ONE_HOST_12_HOURS = 12 * POINTS_PER_HOUR;

    /** One host, the query window starting off the hour (not on a block or bucket boundary). */
    static final TagPredicate ONE_HOST = TagPredicate.eq("hostname", "host_3");
    static final long WINDOW_START = START + 6 * HOUR + 17 * 60 * SECOND;

    private Path dir;
    private Database db;
    private ScanRequest oneHostHour;
    private ScanRequest everything;
    private AggregateRequest perMinuteOneHost12Hours;
    private AggregateRequest headersEverything;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("ugnos-block-scan-");
        db = Database.open(dir, DatabaseOptions.defaults());
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(1, HOSTS, START, 24 * HOUR, true);
        List<Host> hosts = data.hosts();
        TagSet[] tags = hosts.stream().map(h -> TagSet.of(h.tags())).toArray(TagSet[]::new);
        WriteBatch[] batch = {new WriteBatch()};
        long[] hour = {0};
        data.forEachRow((ts, h, values) -> {
            if ((ts - START) / HOUR != hour[0]) {
                db.write(batch[0]);
                batch[0] = new WriteBatch();
                hour[0] = (ts - START) / HOUR;
            }
            batch[0].add(SERIES, tags[h], ts, values[0]);
        });
        db.write(batch[0]);
        db.flush();
        db.compact(true);

        oneHostHour = ScanRequest.of(SERIES, TimeRange.halfOpen(WINDOW_START, WINDOW_START + HOUR), ONE_HOST);
        everything = ScanRequest.all(SERIES);
        perMinuteOneHost12Hours = new AggregateRequest(SERIES, TimeRange.halfOpen(WINDOW_START, WINDOW_START + 12 * HOUR),
                ONE_HOST, 60 * SECOND, 0, Set.of(AggFn.MAX), List.of());
        headersEverything = new AggregateRequest(SERIES, TimeRange.ALL, TagPredicate.ALL, 0, 0,
                Set.of(AggFn.MAX, AggFn.SUM, AggFn.COUNT), List.of());
        checkCount(scan(everything), ALL_POINTS, "full scan");
        checkCount(scan(oneHostHour), ONE_HOST_HOUR, "one host, one hour");
        checkCount(db.aggregate(headersEverything).rows().get(0).count(), ALL_POINTS, "aggregate over everything");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** (a) The points of one host over one hour: index lookup, one or two blocks decoded. */
    @Benchmark
    @OperationsPerInvocation(ONE_HOST_HOUR)
    public long scanOneHostOneHour() {
        return scan(oneHostHour);
    }

    /** (b) Every point of the series, timestamps and values decoded. */
    @Benchmark
    @OperationsPerInvocation(ALL_POINTS)
    public long scanEverything() {
        return scan(everything);
    }

    /** (c) max per minute for one host over 12 hours: every point decoded and bucketed. */
    @Benchmark
    @OperationsPerInvocation(ONE_HOST_12_HOURS)
    public int aggregatePerMinuteOneHost12Hours() {
        return db.aggregate(perMinuteOneHost12Hours).rows().size();
    }

    /** (d) max, sum and count over the whole series in one bucket: answered from block headers. */
    @Benchmark
    @OperationsPerInvocation(ALL_POINTS)
    public double aggregateEverythingFromHeaders() {
        return db.aggregate(headersEverything).rows().get(0).sum();
    }

    private long scan(ScanRequest request) {
        long n = 0;
        try (ScanCursor c = db.scan(request)) {
            while (c.next()) {
                n += c.batch().size();
            }
        }
        return n;
    }

    private static void checkCount(long actual, long expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": read " + actual + " points, expected " + expected);
        }
    }
}
