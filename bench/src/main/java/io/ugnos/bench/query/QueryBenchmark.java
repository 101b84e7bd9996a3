package io.ugnos.bench.query;

import io.ugnos.bench.peer.DuckDbLoader;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * The query benchmark: loads the same TSBS devops cpu-only data into ugnos (through its SQL layer),
 * DuckDB (narrow and wide tables) and QuestDB (embedded) in one JVM, checks that every system gives
 * the same answer to every query, then times the queries and writes a Markdown report with charts.
 *
 * <pre>java -cp ... io.ugnos.bench.query.QueryBenchmark [--quick] [--hosts=100] [--hours=24] [--scale=10,100]</pre>
 *
 * <p>Exit status 1 when two systems disagree on an answer (the SQL and both answers are printed),
 * 2 on bad arguments.
 */
public final class QueryBenchmark {
    /** The system whose answers the others are compared with. */
    static final String REFERENCE = "DuckDB (wide)";
    /** Timed runs taken even past the budget, unless the hard limit is reached first. */
    private static final int MIN_RUNS = 3;
    /** No further timed run starts after this many budgets. */
    private static final int HARD_BUDGET_FACTOR = 3;
    private static final long HOUR = 3_600_000_000_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private final BenchConfig config;
    private final PrintStream log;

    /** @param log where progress goes */
    public QueryBenchmark(BenchConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config;
        try {
            config = BenchConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            BenchmarkReport report = new QueryBenchmark(config, System.out).run();
            report.write(config.report());
            System.out.println("report: " + config.report().toAbsolutePath());
        } catch (ResultMismatchException e) {
            System.err.println("RESULT MISMATCH: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs every configured size and returns the report (not yet written). */
    public BenchmarkReport run() throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        System.setProperty("java.awt.headless", "true");
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Instant started = Instant.now();
        String ugnosBuild = BenchmarkReport.currentUgnosBuild();
        List<ScaleResult> results = new ArrayList<>();
        for (int hosts : config.hostCounts()) {
            results.add(runScale(hosts));
        }
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new BenchmarkReport(config, results, started, Instant.now(), loadBefore, loadAfter, ugnosBuild);
    }

    private static List<QueryTarget> targets() {
        return List.of(new UgnosTarget(), new DuckDbTarget(DuckDbLoader.Layout.NARROW),
                new DuckDbTarget(DuckDbLoader.Layout.WIDE), new QuestDbTarget());
    }

    private ScaleResult runScale(int hosts) throws Exception {
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(config.seed(), hosts, START, config.hours() * HOUR, true);
        log.printf(Locale.ROOT, "== %d hosts x %d h: %,d rows, %,d points%n", hosts, config.hours(), data.rows(),
                data.points());
        // before any load, and through several consumers: no system's load pays for compiling the generator
        double generatorSeconds = GeneratorWarmUp.run(data);
        List<TsbsQuery> queries = TsbsQueries.draw(data, config.seed()).stream()
                .filter(q -> config.queries().isEmpty() || config.queries().contains(q.name())).toList();
        Files.createDirectories(config.dataDir());
        Path root = Files.createTempDirectory(config.dataDir(), "ugnos-query-bench-");
        List<QueryTarget> targets = targets();
        try {
            Map<String, LoadFigures> loads = new LinkedHashMap<>();
            for (QueryTarget t : targets) {
                System.gc();
                LoadFigures f = t.load(data, Files.createDirectory(root.resolve(t.name().replaceAll("[^A-Za-z]", ""))));
                loads.put(t.name(), f);
                logLoad(t.name(), f);
                if (t instanceof UgnosTarget engineLoaded) {
                    loads.put(UgnosJdbcLoad.NAME, loadThroughJdbc(data, root, engineLoaded));
                }
            }
            Map<String, Map<String, String>> sql = sqlTexts(queries, targets);
            new CrossCheck(targets, REFERENCE, log).run(queries, sql);
            Map<String, EngineWork> work = new LinkedHashMap<>();
            for (QueryTarget t : targets) {
                if (t instanceof UgnosTarget u) {
                    for (TsbsQuery q : queries) {
                        work.put(q.name(), u.work(sql.get(q.name()).get(t.name())));
                    }
                }
            }
            warmUp(queries, targets, sql);
            Map<String, Map<String, LatencyStats>> latency = new LinkedHashMap<>();
            for (TsbsQuery q : queries) {
                Map<String, LatencyStats> bySystem = new LinkedHashMap<>();
                for (QueryTarget t : targets) {
                    LatencyStats s = time(t, sql.get(q.name()).get(t.name()));
                    bySystem.put(t.name(), s);
                    log.printf(Locale.ROOT, "%-24s %-16s median %9.2f ms (plan %8.2f, exec %9.2f)  p95 %9.2f ms  %d runs%n",
                            q.name(), t.name(), s.median() / 1e6, s.planMedian() / 1e6, s.execMedian() / 1e6,
                            s.p95() / 1e6, s.runs());
                }
                latency.put(q.name(), bySystem);
            }
            // after the queries, so that their garbage and heap growth do not change the query phase
            loadAgainWarm(data, root, loads);
            return new ScaleResult(hosts, config.hours(), data.rows(), data.points(), generatorSeconds, loads, queries,
                    sql, latency, work);
        } finally {
            for (QueryTarget t : targets) {
                try {
                    t.close();
                } catch (Exception e) {
                    log.println("closing " + t.name() + ": " + e);
                }
            }
            DiskUsage.deleteRecursively(root);
        }
    }

    private void logLoad(String name, LoadFigures f) {
        log.printf(Locale.ROOT, "load %-20s %6.2f s  %,12.0f rows/s  %,14d bytes  %.3f bytes/point%n",
                name, f.seconds(), f.rowsPerSecond(), f.diskBytes(), f.bytesPerPoint());
    }

    /** Suffix of the load rows of {@link #loadAgainWarm}; they are not query targets. */
    static final String WARM = " (warm)";

    /**
     * Loads ugnos and QuestDB again, {@link BenchConfig#warmLoads} times each, alternating, after
     * the queries were timed, and reports each one's median load. Each first load is its
     * system's first in this JVM, but ugnos loads first of all and so also pays for warming up
     * what every later load finds done (JDK code, the heap's size), while QuestDB loads last; the
     * warm loads compare the two like for like, and their median (with every load listed) keeps
     * one slow load on this shared machine from deciding the row. Both rows are reported: a cold
     * start is a cost.
     */
    private void loadAgainWarm(TsbsDevopsGenerator data, Path root, Map<String, LoadFigures> loads) throws Exception {
        Map<String, List<LoadFigures>> byName = new LinkedHashMap<>();
        for (int round = 0; round < config.warmLoads(); round++) {
            for (QueryTarget t : List.<QueryTarget>of(new UgnosTarget(), new QuestDbTarget())) {
                Path dir = Files.createDirectory(root.resolve(t.name().replaceAll("[^A-Za-z]", "") + "warm" + round));
                System.gc();
                try {
                    LoadFigures f = t.load(data, dir);
                    byName.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(f);
                    logLoad(t.name() + WARM + " " + (round + 1), f);
                } finally {
                    t.close();
                    DiskUsage.deleteRecursively(dir);
                }
            }
        }
        byName.forEach((name, runs) -> {
            List<LoadFigures> sorted = new ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingDouble(LoadFigures::seconds));
            LoadFigures median = sorted.get((sorted.size() - 1) / 2); // the lower median of an even count
            String each = runs.stream().map(f -> String.format(Locale.ROOT, "%.2f", f.seconds()))
                    .collect(java.util.stream.Collectors.joining(", "));
            loads.put(name + WARM, new LoadFigures(median.seconds(), median.diskBytes(), median.apparentBytes(),
                    median.rows(), median.points(), String.format(Locale.ROOT,
                    "median of %d warm loads, alternating with the other system's (%s s); ", runs.size(), each)
                    + median.note()));
        });
    }

    /**
     * The load-only row: the same rows through JDBC batches into a separate database, which must
     * end up holding as many points as the engine-loaded one.
     */
    private LoadFigures loadThroughJdbc(TsbsDevopsGenerator data, Path root, UgnosTarget engineLoaded)
            throws Exception {
        System.gc();
        UgnosJdbcLoad.Result r = UgnosJdbcLoad.load(data, Files.createDirectory(root.resolve("ugnosjdbc")));
        logLoad(UgnosJdbcLoad.NAME, r.figures());
        long expected = engineLoaded.storedPoints();
        if (r.storedPoints() != expected) {
            throw new ResultMismatchException(String.format(Locale.ROOT, "%s stored %,d points, %s %,d "
                    + "(%,d generated)", UgnosJdbcLoad.NAME, r.storedPoints(), engineLoaded.name(), expected,
                    data.points()));
        }
        return r.figures();
    }

    private static Map<String, Map<String, String>> sqlTexts(List<TsbsQuery> queries, List<QueryTarget> targets) {
        Map<String, Map<String, String>> sql = new LinkedHashMap<>();
        for (TsbsQuery q : queries) {
            Map<String, String> bySystem = new LinkedHashMap<>();
            for (QueryTarget t : targets) {
                bySystem.put(t.name(), t.dialect().sql(q));
            }
            sql.put(q.name(), bySystem);
        }
        return sql;
    }

    /**
     * Runs every query on every system, untimed, {@link BenchConfig#warmup} times or until
     * {@link BenchConfig#warmupSeconds} are spent on it, before any query is timed. A few rounds are
     * not enough for the JVM systems: their planner and executor methods run once or a few times per
     * statement, and HotSpot compiles a method with its optimising compiler (C2) only after
     * thousands of calls. Until then it runs profiling C1 code, several times slower and without
     * escape analysis. With ten queries each run three times the report measured ugnos's and
     * QuestDB's warm-up, not their steady state; TSBS itself runs each query type many times.
     */
    private void warmUp(List<TsbsQuery> queries, List<QueryTarget> targets, Map<String, Map<String, String>> sql)
            throws Exception {
        long cap = (long) (config.warmupSeconds() * 1e9);
        for (TsbsQuery q : queries) {
            for (QueryTarget t : targets) {
                String text = sql.get(q.name()).get(t.name());
                long start = System.nanoTime();
                for (int i = 0; i < config.warmup() && System.nanoTime() - start < cap; i++) {
                    t.execute(text, false);
                }
            }
        }
        if (config.warmup() > 0) {
            log.printf(Locale.ROOT, "warm-up done: up to %d runs or %.1f s per query and system%n", config.warmup(),
                    config.warmupSeconds());
        }
    }

    private LatencyStats time(QueryTarget t, String sql) throws Exception {
        long budget = (long) (config.budgetSeconds() * 1e9);
        List<Execution> runs = new ArrayList<>();
        long start = System.nanoTime();
        while (runs.size() < config.reps()) {
            long spent = System.nanoTime() - start;
            if (runs.size() >= MIN_RUNS && spent > budget || runs.size() > 0 && spent > HARD_BUDGET_FACTOR * budget) {
                break;
            }
            runs.add(t.execute(sql, false));
        }
        return LatencyStats.of(runs);
    }
}
