package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
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
 * and prints both times, their ratio and the process CPU time of the ugnos load (GC and the
 * flusher included). The first round pays for JIT compilation, later rounds show the steady
 * state; on a shared machine compare ratios and CPU rather than seconds.
 *
 * <pre>java -Xmx6g -cp ... io.ugnos.bench.query.LoadRounds [--hosts=100] [--hours=24] [--rounds=5] [--no-questdb]</pre>
 */
public final class LoadRounds {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private LoadRounds() {
    }

    public static void main(String[] args) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        int hosts = 100;
        int hours = 24;
        int rounds = 5;
        boolean questDb = true;
        for (String a : args) {
            if (a.startsWith("--hosts=")) {
                hosts = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("--hours=")) {
                hours = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else if (a.equals("--no-questdb")) {
                questDb = false;
            } else {
                System.err.println("usage: LoadRounds [--hosts=100] [--hours=24] [--rounds=5] [--no-questdb]");
                System.exit(2);
            }
        }
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(BenchConfig.parse(new String[0]).seed(), hosts, START,
                hours * HOUR, true);
        data.forEachRow((ts, h, v) -> { }); // as the query benchmark does before loading
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Path root = Files.createTempDirectory("ugnos-load-rounds-");
            try {
                System.gc();
                long cpu0 = os.getProcessCpuTime();
                UgnosTarget u = new UgnosTarget();
                LoadFigures fu;
                try {
                    fu = u.load(data, Files.createDirectory(root.resolve("ugnos")));
                } finally {
                    u.close();
                }
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                String line = String.format(Locale.ROOT, "round %d: ugnos %.2f s (process CPU %.2f s, %.3f bytes/point)",
                        r, fu.seconds(), cpu, fu.bytesPerPoint());
                if (questDb) {
                    System.gc();
                    QuestDbTarget q = new QuestDbTarget();
                    LoadFigures fq;
                    try {
                        fq = q.load(data, Files.createDirectory(root.resolve("questdb")));
                    } finally {
                        q.close();
                    }
                    double ratio = fq.seconds() / fu.seconds();
                    ratios.add(ratio);
                    line += String.format(Locale.ROOT, "  QuestDB %.2f s  ugnos rows/s = %.2f x QuestDB's", fq.seconds(), ratio);
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
