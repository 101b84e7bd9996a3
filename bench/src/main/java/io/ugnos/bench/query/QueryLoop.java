package io.ugnos.bench.query;

import com.sun.management.ThreadMXBean;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;

/**
 * Runs TSBS queries on ugnos alone, in a loop, and prints per-statement figures that do not depend
 * on the machine's load: CPU time and bytes allocated by the running thread, beside the planning
 * and execution medians. It is the tool for profiling one query (attach JFR to it) and for
 * comparing two builds back to back; the peers' figures come from {@link QueryBenchmark}.
 *
 * <p>{@code --peers} also loads DuckDB (wide) and QuestDB into the same JVM and runs the same query
 * on each of them before every ugnos statement (untimed), as the report's interleaved runs do.
 *
 * <p>{@code --cold-mib=N} walks an N MiB buffer before every statement, evicting the CPU caches
 * as the report's interleaved runs do (every system runs a query in turn).
 *
 * <pre>java -cp "$CP" io.ugnos.bench.query.QueryLoop --hosts=100 --hours=24 --seconds=10 --queries=lastpoint,high-cpu-1</pre>
 */
public final class QueryLoop {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long SEED = 20261124L;

    private QueryLoop() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = 100;
        int hours = 24;
        double seconds = 10;
        int coldMib = 0;
        boolean peers = false;
        Set<String> names = new LinkedHashSet<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "--hosts" -> hosts = Integer.parseInt(kv[1]);
                case "--hours" -> hours = Integer.parseInt(kv[1]);
                case "--seconds" -> seconds = Double.parseDouble(kv[1]);
                case "--cold-mib" -> coldMib = Integer.parseInt(kv[1]);
                case "--queries" -> names.addAll(Arrays.asList(kv[1].split(",")));
                case "--peers" -> peers = true;
                default -> {
                    System.err.println("unknown argument " + a
                            + "; use --hosts=N --hours=N --seconds=S --cold-mib=N --peers --queries=a,b");
                    System.exit(2);
                }
            }
        }
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(SEED, hosts, START, hours * HOUR, true);
        List<TsbsQuery> queries = TsbsQueries.draw(data, SEED).stream()
                .filter(q -> names.isEmpty() || names.contains(q.name())).toList();
        Path dir = Files.createTempDirectory("ugnos-query-loop-");
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] trash = new byte[coldMib << 20];
        List<QueryTarget> others = peers
                ? List.of(new DuckDbTarget(io.ugnos.bench.peer.DuckDbLoader.Layout.WIDE), new QuestDbTarget())
                : List.of();
        try (UgnosTarget ugnos = new UgnosTarget()) {
            LoadFigures load = ugnos.load(data, dir.resolve("ugnos"));
            for (QueryTarget t : others) {
                t.load(data, Files.createDirectory(dir.resolve(t.name().replaceAll("[^A-Za-z]", ""))));
            }
            System.out.printf(Locale.ROOT, "loaded %d hosts x %d h in %.2f s%n", hosts, hours, load.seconds());
            System.out.printf("%-24s %7s %9s %9s %9s %9s %11s%n", "query", "runs", "plan p50", "exec p50", "cpu p50",
                    "cpu/stmt",
                    "alloc/stmt");
            for (TsbsQuery q : queries) {
                String sql = ugnos.dialect().sql(q);
                long until = System.nanoTime() + (long) (seconds * 1e9);
                List<Execution> runs = new ArrayList<>();
                List<Long> cpus = new ArrayList<>();
                List<String> peerSql = others.stream().map(t -> t.dialect().sql(q)).toList();
                long alloc = 0;
                while (System.nanoTime() < until) {
                    for (int p = 0; p < others.size(); p++) {
                        others.get(p).execute(peerSql.get(p), false);
                    }
                    for (int i = 0; i < trash.length; i += 64) {
                        trash[i]++; // a write to the heap: the walk cannot be optimised away
                    }
                    long c0 = threads.getCurrentThreadCpuTime();
                    long a0 = threads.getCurrentThreadAllocatedBytes();
                    runs.add(ugnos.execute(sql, false));
                    alloc += threads.getCurrentThreadAllocatedBytes() - a0;
                    cpus.add(threads.getCurrentThreadCpuTime() - c0);
                }
                long cpu = cpus.stream().mapToLong(Long::longValue).sum();
                // the second half only: the first is JIT warm-up
                LatencyStats s = LatencyStats.of(runs.subList(runs.size() / 2, runs.size()));
                double cpuMedian = LatencyStats.median(
                        cpus.subList(cpus.size() / 2, cpus.size()).stream().mapToLong(Long::longValue).toArray());
                System.out.printf(Locale.ROOT, "%-24s %7d %9.4f %9.4f %9.4f %9.4f %11.0f%n", q.name(),
                        runs.size(), s.planMedian() / 1e6, s.execMedian() / 1e6, cpuMedian / 1e6, cpu / 1e6 / runs.size(),
                        (double) alloc / runs.size());
            }
        } finally {
            for (QueryTarget t : others) {
                t.close();
            }
            DiskUsage.deleteRecursively(dir);
        }
    }
}
