package io.ugnos.bench;

import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Ingest throughput through {@link Database#write}: writer threads × durability × batch size on TSBS
 * devops cpu-only data. Each writer thread owns {@code --hosts} hosts of its own (host {@code i} goes
 * to thread {@code i % threads}, so a batch has the same shape whatever the number of writers) and
 * writes their points, one series per metric ({@code cpu.usage_user}, …), in time order: a batch of
 * 10,000 points is 10 ticks of 100 hosts × 10 metrics, 1,000 runs of 10 points; a batch of 100 is
 * 10 hosts at one tick (100 one-point runs). All batches of a cell are built before anything is
 * timed; every cell runs in a fresh temporary database (deleted afterwards): a short warm-up, then a
 * timed phase that ends after {@code --seconds} or when a writer runs out of pre-built batches
 * (marked {@code *} in the table), whichever comes first.
 *
 * <p>The raw fsync rate of the disk holding the databases is measured (append a small record +
 * {@link FileChannel#force} in a loop) once at the start and again just before and just after every
 * SYNC cell (their mean is the cell's reference, since a shared disk's rate drifts): that
 * is the batch rate a SYNC writer gets with one fsync per write, the reference for group commit. Note
 * that N writers, each waiting for its own batch, can share one fsync among at most N batches, so
 * SYNC batches/s is bounded by about N × the fsync rate (and WAL fsyncs per batch by 1/N below).
 *
 * <pre>
 * java -Xmx8g -cp ... io.ugnos.bench.IngestBenchmark [--quick] [--threads=1,2,4] [--durability=SYNC,FLUSH,NONE]
 *      [--batch=1,100,10000] [--seconds=2] [--warmup=0.5] [--hosts=100 (per writer)] [--max-points=N] [--dir=PATH]
 * </pre>
 */
public final class IngestBenchmark {
    private static final long SEED = 20261124L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final String SYNC_COUNTER = "wal_syncs";

    private IngestBenchmark() {
    }

    /** What to run; see the class comment for the flags. */
    static final class Config {
        int[] threads = {1, 2, 4};
        Durability[] durabilities = {Durability.SYNC, Durability.FLUSH, Durability.NONE};
        int[] batches = {1, 100, 10_000};
        double seconds = 2.0;
        double warmup = 0.5;
        int hosts = 100; // per writer
        long maxPoints = -1; // -1: the per-batch-size defaults of budget()
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        boolean quick;

        /**
         * Points pre-built for one cell (all threads together). Bounded by heap: a WriteBatch of
         * one-point runs costs a few hundred bytes per point, a batch of long runs a few dozen.
         */
        long budget(int batch) {
            long b;
            if (quick) {
                b = batch == 1 ? 5_000 : 60_000;
            } else if (batch == 1) {
                b = 1_000_000;
            } else if (batch < 1_000) {
                b = 3_000_000;
            } else {
                b = 24_000_000;
            }
            if (maxPoints > 0) {
                b = Math.min(b, maxPoints);
            }
            return Math.max(b, batch);
        }
    }

    /** One measured cell. */
    record Result(int threads, Durability durability, int batch, long batches, long points, long nanos,
                  boolean ranOut, Long syncs, Map<String, Long> statDeltas, double fsyncRef) {
        double seconds() {
            return nanos / 1e9;
        }

        double batchesPerSecond() {
            return batches / seconds();
        }

        double pointsPerSecond() {
            return points / seconds();
        }

        Result withFsyncRef(double ref) {
            return new Result(threads, durability, batch, batches, points, nanos, ranOut, syncs, statDeltas, ref);
        }
    }

    public static void main(String[] args) throws Exception {
        Config c = parse(args);
        Files.createDirectories(c.dir);
        System.out.printf(Locale.ROOT, "ugnos ingest benchmark: TSBS devops cpu-only, %d hosts per writer, 10 metrics "
                + "(one series each), 10 s interval, integer values%n", c.hosts);
        System.out.printf(Locale.ROOT, "JVM %s, %d cores, max heap %,d MiB, databases under %s (%s)%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                c.dir.toAbsolutePath(), fileStore(c.dir));
        System.out.printf(Locale.ROOT, "cells: threads %s x durability %s x batch %s; warm-up %.2f s, timed %.2f s%s%n%n",
                Arrays.toString(c.threads), Arrays.toString(c.durabilities), Arrays.toString(c.batches), c.warmup,
                c.seconds, c.quick ? " (--quick)" : "");

        double fsyncRate = rawFsyncRate(c.dir, c.quick ? 0.2 : 1.0, false);
        double fsyncRateMeta = rawFsyncRate(c.dir, c.quick ? 0.2 : 1.0, true);
        System.out.printf(Locale.ROOT, "raw fsync rate of this disk (append 64 bytes + FileChannel.force(false), 1 thread, 1 s): "
                + "%,.0f fsyncs/s (%.3f ms each); with force(true): %,.0f/s%n", fsyncRate, 1e3 / fsyncRate, fsyncRateMeta);
        System.out.printf(Locale.ROOT, "=> one fsync per write: %,.0f batches/s (measured again, 0.5 s, before and after each SYNC cell)%n%n",
                fsyncRate);
        List<Double> fsyncRates = new ArrayList<>(List.of(fsyncRate));

        long t0 = System.nanoTime();
        List<Result> results = new ArrayList<>();
        for (int threads : c.threads) {
            for (int batch : c.batches) {
                long tb = System.nanoTime();
                List<List<WriteBatch>> data = build(c, threads, batch);
                long built = data.stream().mapToLong(List::size).sum();
                System.gc();
                long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
                System.out.printf(Locale.ROOT, "built %,d batches of %,d points for %d writer(s) in %.1f s (heap in use %,d MiB)%n",
                        built, batch, threads, (System.nanoTime() - tb) / 1e9, heap >> 20);
                for (Durability d : c.durabilities) {
                    double refBefore = Double.NaN;
                    if (d == Durability.SYNC) {
                        refBefore = rawFsyncRate(c.dir, c.quick ? 0.1 : 0.5, false);
                        fsyncRates.add(refBefore);
                    }
                    Result r = runCell(c, data, threads, d, batch, Double.NaN);
                    String ref = "";
                    if (d == Durability.SYNC) { // the disk's rate drifts: reference = mean of just before and just after
                        double refAfter = rawFsyncRate(c.dir, c.quick ? 0.1 : 0.5, false);
                        fsyncRates.add(refAfter);
                        r = r.withFsyncRef((refBefore + refAfter) / 2);
                        ref = String.format(Locale.ROOT, "; raw fsyncs/s just before/after %,.0f/%,.0f", refBefore, refAfter);
                    }
                    results.add(r);
                    System.out.printf(Locale.ROOT, "  %d x %-5s x %,6d: %,12.0f points/s %,10.0f batches/s over %.2f s%s%s; stats: %s%n",
                            threads, d, batch, r.pointsPerSecond(), r.batchesPerSecond(), r.seconds(),
                            r.ranOut() ? " (ran out of pre-built batches)" : "", ref, r.statDeltas());
                }
                data = null;
                System.gc();
            }
        }
        System.out.printf(Locale.ROOT, "%ntotal run time %.0f s%n%n", (System.nanoTime() - t0) / 1e9);
        printTable(results, fsyncRates);
        printTargets(results);
    }

    // ---------------------------------------------------------------- data

    /**
     * Per writer thread, its batches: the thread's hosts' points in generator order (time, then host,
     * then metric), cut every {@code batch} points; an incomplete last batch is dropped.
     */
    static List<List<WriteBatch>> build(Config c, int threads, int batch) {
        long budget = c.budget(batch);
        int hostCount = c.hosts * threads;
        long pointsPerTick = (long) hostCount * TsbsDevopsGenerator.METRICS.size();
        long ticks = (budget + pointsPerTick - 1) / pointsPerTick;
        TsbsDevopsGenerator gen = new TsbsDevopsGenerator(SEED, hostCount, START,
                ticks * TsbsDevopsGenerator.INTERVAL_NANOS, true);
        List<Host> hosts = gen.hosts();
        TagSet[] tags = hosts.stream().map(h -> TagSet.of(h.tags())).toArray(TagSet[]::new);
        String[] series = TsbsDevopsGenerator.METRICS.stream().map(m -> "cpu." + m).toArray(String[]::new);
        long perThread = budget / threads;
        List<List<WriteBatch>> out = new ArrayList<>();
        WriteBatch[] current = new WriteBatch[threads];
        int[] fill = new int[threads];
        long[] emitted = new long[threads];
        for (int t = 0; t < threads; t++) {
            out.add(new ArrayList<>());
            current[t] = new WriteBatch();
        }
        gen.forEachRow((ts, h, values) -> {
            int t = h % threads;
            if (emitted[t] >= perThread) {
                return;
            }
            for (int m = 0; m < values.length; m++) {
                current[t].add(series[m], tags[h], ts, values[m]);
                emitted[t]++;
                if (++fill[t] == batch) {
                    out.get(t).add(current[t]);
                    current[t] = new WriteBatch();
                    fill[t] = 0;
                    if (emitted[t] >= perThread) {
                        return;
                    }
                }
            }
        });
        int min = out.stream().mapToInt(List::size).min().orElse(0);
        for (List<WriteBatch> l : out) { // equal shares, so no writer idles while others still run
            l.subList(min, l.size()).clear();
        }
        return out;
    }

    // ---------------------------------------------------------------- one cell

    static Result runCell(Config c, List<List<WriteBatch>> data, int threads, Durability durability, int batch,
                          double fsyncRef) throws Exception {
        System.gc();
        Path dir = Files.createTempDirectory(c.dir, "ugnos-ingest-");
        try {
            Result r;
            try (Database db = Database.open(dir, DatabaseOptions.defaults().withDurability(durability))) {
                r = timeWriters(c, db, data, threads, durability, batch, fsyncRef);
            }
            return r;
        } finally {
            deleteRecursively(dir);
        }
    }

    private static Result timeWriters(Config c, Database db, List<List<WriteBatch>> data, int threads,
                                      Durability durability, int batch, double fsyncRef) throws Exception {
        long warmNanos = (long) (c.warmup * 1e9);
        long runNanos = (long) (c.seconds * 1e9);
        int perThread = data.get(0).size();
        int warmLimit = perThread / 5; // at most a fifth of the batches are spent on the warm-up
        long warmDeadline = System.nanoTime() + warmNanos;
        long[] startAndDeadline = new long[2];
        Map<String, Long>[] before = new Map[1];
        CyclicBarrier go = new CyclicBarrier(threads, () -> { // run by the last writer to arrive
            before[0] = db.stats().snapshot();
            startAndDeadline[0] = System.nanoTime();
            startAndDeadline[1] = startAndDeadline[0] + runNanos;
        });
        AtomicBoolean ranOut = new AtomicBoolean();
        long[] batchesDone = new long[threads];
        long[] pointsDone = new long[threads];
        long[] endNanos = new long[threads];
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            List<WriteBatch> mine = data.get(t);
            Thread w = new Thread(() -> {
                try {
                    int i = 0;
                    while (i < warmLimit && System.nanoTime() < warmDeadline) {
                        db.write(mine.get(i++));
                    }
                    go.await();
                    long deadline = startAndDeadline[1];
                    long b = 0;
                    long p = 0;
                    while (!ranOut.get() && System.nanoTime() < deadline) {
                        if (i == mine.size()) {
                            ranOut.set(true);
                            break;
                        }
                        WriteBatch wb = mine.get(i++);
                        db.write(wb);
                        b++;
                        p += batch;
                    }
                    endNanos[me] = System.nanoTime();
                    batchesDone[me] = b;
                    pointsDone[me] = p;
                } catch (Throwable e) {
                    errors.add(e);
                    go.reset();
                }
            }, "writer-" + t);
            writers.add(w);
        }
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join();
        }
        if (!errors.isEmpty()) {
            RuntimeException e = new RuntimeException("writer failed in cell " + threads + " x " + durability + " x " + batch,
                    errors.peek());
            errors.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
        Map<String, Long> after = db.stats().snapshot();
        long end = Arrays.stream(endNanos).max().orElseThrow();
        Map<String, Long> delta = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before[0].getOrDefault(e.getKey(), 0L);
            if (d != 0) {
                delta.put(e.getKey(), d);
            }
        }
        Long syncs = after.containsKey(SYNC_COUNTER)
                ? after.get(SYNC_COUNTER) - before[0].getOrDefault(SYNC_COUNTER, 0L) : null;
        return new Result(threads, durability, batch, Arrays.stream(batchesDone).sum(), Arrays.stream(pointsDone).sum(),
                end - startAndDeadline[0], ranOut.get(), syncs, delta, fsyncRef);
    }

    // ---------------------------------------------------------------- fsync reference

    /** Appends a 64-byte record and forces it, in a loop, for {@code seconds}: fsyncs per second. */
    static double rawFsyncRate(Path dir, double seconds, boolean metadata) throws IOException {
        Path f = Files.createTempFile(dir, "ugnos-fsync-", ".bin");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer rec = ByteBuffer.allocate(64);
            long n = 0;
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            long now;
            do {
                rec.clear();
                rec.putLong(0, n);
                while (rec.hasRemaining()) {
                    ch.write(rec);
                }
                ch.force(metadata);
                n++;
                now = System.nanoTime();
            } while (now < deadline);
            return n / ((now - t0) / 1e9);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    // ---------------------------------------------------------------- output

    static void printTable(List<Result> results, List<Double> fsyncRates) {
        System.out.println("| writers | durability | batch (points) | points/s | batches/s | WAL fsyncs/batch "
                + "| one fsync per write (batches/s) | batches/s ÷ one fsync per write | timed (s) |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            boolean sync = r.durability() == Durability.SYNC;
            String fsyncs = !sync ? ""
                    : r.syncs() == null ? "n/a (no " + SYNC_COUNTER + " counter)"
                    : r.batches() == 0 ? "–" : String.format(Locale.ROOT, "%.3f", (double) r.syncs() / r.batches());
            String ref = !sync ? "" : String.format(Locale.ROOT, "%,.0f", r.fsyncRef());
            String ratio = !sync ? "" : String.format(Locale.ROOT, "%.2f×", r.batchesPerSecond() / r.fsyncRef());
            System.out.printf(Locale.ROOT, "| %d | %s | %,d | %,.0f | %,.0f | %s | %s | %s | %.2f%s |%n", r.threads(),
                    r.durability(), r.batch(), r.pointsPerSecond(), r.batchesPerSecond(), fsyncs, ref, ratio, r.seconds(),
                    r.ranOut() ? "*" : "");
        }
        System.out.printf(Locale.ROOT, "%n(*: the cell ended when a writer ran out of pre-built batches, before the time limit)%n");
        double[] f = fsyncRates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "raw fsync rate of this disk over the run (%d measurements): min %,.0f, median %,.0f, "
                + "max %,.0f fsyncs/s%n%n", f.length, f[0], f[f.length / 2], f[f.length - 1]);
    }

    static void printTargets(List<Result> results) {
        System.out.println("Targets:");
        for (Result r : results) {
            if (r.durability() == Durability.FLUSH && r.batch() == 10_000) {
                System.out.printf(Locale.ROOT, "- FLUSH, batches of 10,000, %d writer(s): %,.0f points/s vs >= 2,000,000: %s%n",
                        r.threads(), r.pointsPerSecond(), r.pointsPerSecond() >= 2_000_000 ? "MET" : "NOT MET");
            }
        }
        for (Result r : results) {
            if (r.durability() == Durability.SYNC && r.threads() >= 4) {
                double ratio = r.batchesPerSecond() / r.fsyncRef();
                System.out.printf(Locale.ROOT, "- SYNC, %d writers, batches of %,d: %,.0f batches/s = %.2f× one fsync per write "
                                + "(%,.0f/s) vs >= 10×: %s (%d writers can share an fsync among at most %d batches)%n",
                        r.threads(), r.batch(), r.batchesPerSecond(), ratio, r.fsyncRef(), ratio >= 10 ? "MET" : "NOT MET",
                        r.threads(), r.threads());
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    static Config parse(String[] args) {
        Config c = new Config();
        List<String> a = new ArrayList<>(List.of(args));
        if (a.contains("--quick")) {
            c.quick = true;
            c.seconds = 0.2;
            c.warmup = 0.05;
            c.hosts = 10;
        }
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            if (arg.equals("--quick")) {
                continue;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println("usage: IngestBenchmark [--quick] [--threads=1,2,4] [--durability=SYNC,FLUSH,NONE] "
                        + "[--batch=1,100,10000] [--seconds=2] [--warmup=0.5] [--hosts=100 (per writer)] [--max-points=N] [--dir=PATH]");
                System.exit(0);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + arg + " (try --help)");
            }
            String key;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                key = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                key = arg.substring(2);
                if (i + 1 >= a.size()) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = a.get(++i);
            }
            switch (key) {
                case "threads" -> c.threads = ints(value);
                case "batch" -> c.batches = ints(value);
                case "durability" -> c.durabilities = Arrays.stream(value.split(","))
                        .map(s -> Durability.valueOf(s.trim().toUpperCase(Locale.ROOT))).toArray(Durability[]::new);
                case "seconds" -> c.seconds = Double.parseDouble(value);
                case "warmup" -> c.warmup = Double.parseDouble(value);
                case "hosts" -> c.hosts = Integer.parseInt(value);
                case "max-points" -> c.maxPoints = Long.parseLong(value.replace("_", ""));
                case "dir" -> c.dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option --" + key + " (try --help)");
            }
        }
        for (int t : c.threads) {
            if (t < 1) {
                throw new IllegalArgumentException("threads must be positive, got " + t);
            }
        }
        if (c.hosts < 1) {
            throw new IllegalArgumentException("hosts per writer must be positive, got " + c.hosts);
        }
        for (int b : c.batches) {
            if (b < 1) {
                throw new IllegalArgumentException("batch sizes must be positive, got " + b);
            }
        }
        return c;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(s -> s.replace("_", ""))
                .mapToInt(Integer::parseInt).toArray();
    }

    private static String fileStore(Path dir) {
        try {
            var fs = Files.getFileStore(dir);
            return fs.type() + " on " + fs.name();
        } catch (IOException e) {
            return "file system unknown";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
