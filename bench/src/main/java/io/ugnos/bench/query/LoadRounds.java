package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import io.ugnos.engine.DatabaseOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The query benchmark's load phase alone, repeated: each round loads the same TSBS data into ugnos
 * ({@link UgnosTarget}, the benchmark's own load code) and then into QuestDB ({@link QuestDbTarget}),
 * and prints both times, their ratio, the process CPU time of each load (GC, the flusher and
 * JIT compiler threads included) and the CPU time of the thread that loads (the generator, the
 * system's own write path; what a second core cannot take over), and for ugnos the two serial steps at the end of its
 * load (the final {@code flush()} and {@code compact(true)}). The first round pays for JIT compilation, later rounds show the
 * steady state; on a shared machine compare ratios and CPU rather than seconds.
 * {@code --memtable-mib=64,8} loads ugnos once per listed memtable size in each round (the first
 * one's ratio is the one summarised); {@code --questdb-first} swaps the order within a round.
 *
 * <pre>java -Xmx6g -cp ... io.ugnos.bench.query.LoadRounds [--hosts=100] [--hours=24] [--rounds=5] [--no-questdb]
 *     [--questdb-first] [--memtable-mib=64[,8...]]</pre>
 */
public final class LoadRounds {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private LoadRounds() {
    }

    /** One load's figures with the process CPU time it took. */
    private record Timed(LoadFigures figures, double cpuSeconds, double loaderCpuSeconds, double flushSeconds, double compactSeconds) {
    }

    private static Timed timed(com.sun.management.OperatingSystemMXBean os, QueryTarget target, TsbsDevopsGenerator data,
                               Path dir) throws Exception {
        System.gc();
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = os.getProcessCpuTime();
        long own0 = threads.getCurrentThreadCpuTime();
        LoadFigures f;
        try {
            f = target.load(data, Files.createDirectory(dir));
        } finally {
            target.close();
        }
        double flush = target instanceof UgnosTarget u ? u.flushSeconds() : 0;
        double compact = target instanceof UgnosTarget u ? u.compactSeconds() : 0;
        return new Timed(f, (os.getProcessCpuTime() - cpu0) / 1e9, (threads.getCurrentThreadCpuTime() - own0) / 1e9, flush, compact);
    }

    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        int hosts = 100;
        int hours = 24;
        int rounds = 5;
        boolean questDb = true;
        boolean questDbFirst = false;
        List<Long> memtableMib = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--hosts=")) {
                hosts = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("--hours=")) {
                hours = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else if (a.equals("--no-questdb")) {
                questDb = false;
            } else if (a.equals("--questdb-first")) {
                questDbFirst = true;
            } else if (a.startsWith("--memtable-mib=")) {
                for (String m : a.substring(15).split(",")) {
                    memtableMib.add(Long.parseLong(m));
                }
            } else {
                System.err.println("usage: LoadRounds [--hosts=100] [--hours=24] [--rounds=5] [--no-questdb] [--questdb-first]"
                        + " [--memtable-mib=64[,8...]]");
                System.exit(2);
            }
        }
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(BenchConfig.parse(new String[0]).seed(), hosts, START,
                hours * HOUR, true);
        GeneratorWarmUp.run(data); // as the query benchmark does before loading
        if (memtableMib.isEmpty()) {
            memtableMib.add(DatabaseOptions.defaults().memtableBytes() >> 20);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Path root = Files.createTempDirectory("ugnos-load-rounds-");
            try {
                Timed q = null;
                if (questDb && questDbFirst) {
                    q = timed(os, new QuestDbTarget(), data, root.resolve("questdb"));
                }
                List<Timed> us = new ArrayList<>();
                for (long mib : memtableMib) {
                    us.add(timed(os, new UgnosTarget(DatabaseOptions.defaults().withMemtableBytes(mib << 20)), data,
                            root.resolve("ugnos" + mib)));
                }
                if (questDb && !questDbFirst) {
                    q = timed(os, new QuestDbTarget(), data, root.resolve("questdb"));
                }
                StringBuilder line = new StringBuilder("round " + r + ":");
                for (int i = 0; i < us.size(); i++) {
                    Timed u = us.get(i);
                    line.append(String.format(Locale.ROOT, "  ugnos(memtable %d MiB) %.2f s (CPU %.2f s, loader thread %.2f s, final flush %.3f s, compaction %.3f s, %.3f bytes/point)",
                            memtableMib.get(i), u.figures().seconds(), u.cpuSeconds(), u.loaderCpuSeconds(), u.flushSeconds(), u.compactSeconds(),
                            u.figures().bytesPerPoint()));
                    if (q != null) {
                        line.append(String.format(Locale.ROOT, " = %.2f x QuestDB's rows/s", q.figures().seconds() / u.figures().seconds()));
                    }
                }
                if (q != null) {
                    ratios.add(q.figures().seconds() / us.get(0).figures().seconds());
                    line.append(String.format(Locale.ROOT, "  QuestDB %.2f s (CPU %.2f s, loader thread %.2f s)", q.figures().seconds(), q.cpuSeconds(),
                            q.loaderCpuSeconds()));
                }
                System.out.printf(Locale.ROOT, "%s  (load average %.2f)%n", line, os.getSystemLoadAverage());
            } finally {
                DiskUsage.deleteRecursively(root);
            }
        }
        if (!ratios.isEmpty()) {
            Collections.sort(ratios);
            System.out.printf(Locale.ROOT, "median ratio %.2fx%n", ratios.get(ratios.size() / 2));
        }
    }
}
