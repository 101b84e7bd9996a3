package io.ugnos.bench.query;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Settings of one query benchmark run, parsed from {@code --name=value} arguments.
 *
 * @param hostCounts    host counts to run, one full pass (load, cross-check, timing) each; the
 *                      report's main tables show the largest
 * @param hours         hours of data
 * @param seed          seed of the data and of the query parameters
 * @param warmup        untimed runs of each query on each system before any timing (fewer once
 *                      {@code warmupSeconds} are spent on that query and system)
 * @param warmupSeconds time cap of one query's warm-up on one system
 * @param reps          timed runs per query and system (fewer once the budget is spent, but at
 *                      least 3 unless three budgets are spent)
 * @param budgetSeconds time budget of the timed runs of one query on one system
 * @param report        Markdown report to write; the charts go to a folder beside it named after it
 * @param dataDir       where the stores are created (deleted afterwards)
 * @param queries       names of the queries to run; empty means all
 * @param quick         the CI-sized mode
 * @param warmLoads     warm loads of ugnos and of QuestDB, alternating, after the queries are
 *                      timed; the load table's warm rows give their median
 */
public record BenchConfig(List<Integer> hostCounts, int hours, long seed, int warmup, double warmupSeconds, int reps, double budgetSeconds,
                          Path report, Path dataDir, Set<String> queries, boolean quick, int warmLoads) {

    /** Usage text. */
    public static final String USAGE = """
            usage: QueryBenchmark [--quick] [--hosts=N] [--hours=H] [--scale=N1,N2,...] [--seed=S]
                                  [--warmup=W] [--warmup-seconds=S] [--reps=R] [--budget-seconds=B] [--report=FILE.md]
                                  [--data-dir=DIR] [--queries=name1,name2] [--warm-loads=N]
              --quick   8 hosts x 13 h, no warm-up, 2 repetitions (CI-sized); report under bench/target
              default   100 hosts x 24 h; warm-up: 3,000 runs of each query on each system, at most
                        4 s each; 30 timed repetitions; report docs/benchmark-report.md
              --scale   run the whole benchmark at each host count (adds a latency-vs-size chart)
              --warm-loads  warm loads of ugnos and QuestDB, alternating, after the queries
                        (default 5, quick 2); the warm rows are their medians""";

    /** Parses arguments; throws {@link IllegalArgumentException} with the usage text on a bad one. */
    public static BenchConfig parse(String... args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        List<Integer> hosts = new ArrayList<>(List.of(quick ? 8 : 100));
        int hours = quick ? 13 : 24;
        long seed = 20261124L;
        // 500 runs and 2 s left ugnos's per-statement path (Calcite's parse and bind) interpreted or in C1
        // code when few queries were run: single-groupby-5-1-12 took 0.69-1.07 ms against 0.33 ms
        int warmup = quick ? 0 : 3000;
        double warmupSeconds = 4;
        int reps = quick ? 2 : 30; // 10 left a sub-millisecond median moving by +-30% between runs
        double budget = quick ? 2 : 20;
        int warmLoads = quick ? 2 : 5; // one left the warm ratio moving by +-20% between runs
        Path report = Path.of(quick ? "bench/target/query-benchmark/report.md" : "docs/benchmark-report.md");
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> queries = Set.of();
        for (String a : args) {
            if (a.equals("--quick")) {
                continue;
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
            }
            String key = a.substring(2, eq);
            String v = a.substring(eq + 1);
            try {
                switch (key) {
                    case "hosts" -> hosts = new ArrayList<>(List.of(Integer.parseInt(v)));
                    case "scale" -> hosts = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).sorted()
                            .toList();
                    case "hours" -> hours = Integer.parseInt(v);
                    case "seed" -> seed = Long.parseLong(v);
                    case "warmup" -> warmup = Integer.parseInt(v);
                    case "warmup-seconds" -> warmupSeconds = Double.parseDouble(v);
                    case "reps" -> reps = Integer.parseInt(v);
                    case "budget-seconds" -> budget = Double.parseDouble(v);
                    case "report" -> report = Path.of(v);
                    case "data-dir" -> dataDir = Path.of(v);
                    case "queries" -> queries = Set.of(v.split(","));
                    case "warm-loads" -> warmLoads = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option --" + key + "\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + ": not a number: '" + v + "'\n" + USAGE, e);
            }
        }
        if (hosts.stream().anyMatch(h -> h < 8)) {
            throw new IllegalArgumentException("host counts must be at least 8 (single-groupby-1-8-1): " + hosts);
        }
        if (hours < 13) {
            throw new IllegalArgumentException("--hours must be at least 13 (12-hour windows inside the data): " + hours);
        }
        if (reps < 1 || warmLoads < 1 || warmup < 0 || warmupSeconds < 0) {
            throw new IllegalArgumentException("--reps and --warm-loads must be >= 1, --warmup and --warmup-seconds >= 0");
        }
        return new BenchConfig(List.copyOf(hosts), hours, seed, warmup, warmupSeconds, reps, budget, report, dataDir,
                queries, quick, warmLoads);
    }
}
