package io.ugnos.bench;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.UgnosSql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * How long ugnos takes to plan SQL, apart from running it: ad-hoc single-series queries (each SQL
 * text new, so the plan cache cannot help), a query with an IN list of 1,000 tag values, the same
 * text again (plan cache hit), and one prepared statement executed many times.
 *
 * <pre>
 * java -cp … io.ugnos.bench.PlanningBenchmark [--queries=10000]
 * </pre>
 * Planning = {@code prepareStatement}; execution = {@code executeQuery} and reading every row.
 */
public final class PlanningBenchmark {
    private static final DateTimeFormatter SQL_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final int HOSTS = 1_000;
    private static final String[] AGGREGATES = {"MAX", "MIN", "AVG", "SUM", "COUNT"};
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private PlanningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int queries = 10_000;
        for (String a : args) {
            if (a.startsWith("--queries=")) {
                queries = Integer.parseInt(a.substring("--queries=".length()));
            }
        }
        Path dir = Files.createTempDirectory("ugnos-planning");
        try (Database db = Database.open(dir, DatabaseOptions.defaults())) {
            WriteBatch b = new WriteBatch();
            for (int h = 0; h < HOSTS; h++) {
                WriteBatch.Run r = b.run("cpu.usage_user", TagSet.of("hostname", "host_" + h, "region", "r" + h % 9));
                for (int i = 0; i < 360; i++) { // one hour every 10 s
                    r.add((T0 + i * 10_000L) * 1_000_000L, (h + i) % 100);
                }
            }
            db.write(b);
            db.compact();
            try (Connection c = UgnosSql.connect(db)) {
                run(c, queries);
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A query of the same shape as {@link #adHoc} with other constants (host and time range): what dashboards send. */
    private static String sameShape(int i) {
        return adHoc(i).replace(" AND " + i + " = " + i, "");
    }

    /**
     * A statement Calcite must plan from scratch: the always-true conjunct {@code i = i} makes each
     * text a new shape to the plan cache. The aggregate, the bucket unit and the form of the host
     * predicate rotate, as a user's ad-hoc queries do, so the JIT does not see one path only.
     */
    private static String adHoc(int i) {
        long from = T0 + (i % 3_000) * 1_000L;
        String ts = SQL_TS.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(from), ZoneOffset.UTC));
        String to = SQL_TS.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(from + 1_800_000), ZoneOffset.UTC));
        String agg = AGGREGATES[i % AGGREGATES.length];
        String unit = (i / AGGREGATES.length) % 2 == 0 ? "MINUTE" : "HOUR";
        String host = "host_" + (i % HOSTS);
        String hosts = switch ((i / (2 * AGGREGATES.length)) % 3) {
            case 0 -> "hostname = '" + host + "'";
            case 1 -> "hostname IN ('" + host + "', 'host_" + ((i + 1) % HOSTS) + "')";
            default -> "hostname LIKE '" + host + "%'";
        };
        return "SELECT FLOOR(ts TO " + unit + ") AS m, " + agg + "(\"value\") FROM \"cpu.usage_user\" WHERE " + hosts
                + " AND ts >= TIMESTAMP '" + ts + "' AND ts < TIMESTAMP '" + to + "' AND " + i + " = " + i
                + " GROUP BY FLOOR(ts TO " + unit + ") ORDER BY m";
    }

    private static String inList(int i) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (int h = 0; h < 1_000; h++) {
            j.add("'host_" + (h * 7 + i) % HOSTS + "'");
        }
        return "SELECT hostname, MAX(\"value\") FROM \"cpu.usage_user\" WHERE hostname IN " + j + " AND " + i + " = " + i
                + " GROUP BY hostname";
    }

    private static void run(Connection c, int queries) throws SQLException {
        // warm-up: JIT and Calcite's caches (of its own metadata, not of our plans)
        for (int i = 0; i < 300; i++) {
            time(c, adHoc(1_000_000 + i), null);
        }
        long[] plan = new long[queries];
        long[] exec = new long[queries];
        long[] cpu = new long[queries];
        for (int i = 0; i < queries; i++) {
            long[] t = time(c, adHoc(i), null);
            plan[i] = t[0];
            exec[i] = t[1];
            cpu[i] = t[2];
        }
        warmUpCurve(cpu);
        int half = queries / 2;
        long[][] late = {Arrays.copyOfRange(plan, half, queries), Arrays.copyOfRange(exec, half, queries),
                Arrays.copyOfRange(cpu, half, queries)};
        report("ad-hoc single-series query (new SQL text each time)", plan, exec, cpu);
        report("  its second half (the JIT has settled)", late[0], late[1], late[2]);

        // each text is new, but the shape repeats: its constants are lifted into a shared plan
        for (int i = 0; i < queries; i++) {
            long[] t = time(c, sameShape(i), null);
            plan[i] = t[0];
            exec[i] = t[1];
            cpu[i] = t[2];
        }
        report("same shape, new constants (new SQL text each time)", plan, exec, cpu);

        for (int i = 0; i < 5; i++) {
            time(c, inList(100 + i), null);
        }
        int n = 30;
        long[] inPlan = new long[n];
        long[] inExec = new long[n];
        long[] inCpu = new long[n];
        for (int i = 0; i < n; i++) {
            long[] t = time(c, inList(i), null);
            inPlan[i] = t[0];
            inExec[i] = t[1];
            inCpu[i] = t[2];
        }
        report("IN list of 1,000 tag values", inPlan, inExec, inCpu);

        String same = adHoc(7);
        long[] hitPlan = new long[queries];
        long[] hitExec = new long[queries];
        for (int i = 0; i < queries; i++) {
            long[] t = time(c, same, null);
            hitPlan[i] = t[0];
            hitExec[i] = t[1];
        }
        report("same SQL text again (plan cache hit)", hitPlan, hitExec);

        long[] prepExec = new long[queries];
        try (PreparedStatement ps = c.prepareStatement("SELECT FLOOR(ts TO MINUTE) AS m, MAX(\"value\") FROM \"cpu.usage_user\""
                + " WHERE hostname = ? AND ts >= ? AND ts < ? GROUP BY FLOOR(ts TO MINUTE)")) {
            for (int i = 0; i < queries; i++) {
                ps.setString(1, "host_" + i % HOSTS);
                ps.setTimestamp(2, new java.sql.Timestamp(T0 + (i % 1_800) * 1_000L));
                ps.setTimestamp(3, new java.sql.Timestamp(T0 + (i % 1_800) * 1_000L + 1_800_000));
                long s = System.nanoTime();
                drain(ps);
                prepExec[i] = System.nanoTime() - s;
            }
        }
        report("one PreparedStatement executed many times (planned once)", new long[]{0}, prepExec);
        UgnosSql.PlanStats ps = UgnosSql.planStats(c);
        System.out.printf(Locale.ROOT, "plan cache: %d hits, %d misses; %d plans by the single-series fast path%n",
                ps.cacheHits(), ps.cacheMisses(), ps.fastPlans());
    }

    /**
     * Planning CPU p50 of each tenth of the ad-hoc statements, in the order they ran: a new shape is
     * Calcite's parser, validator and converter at work, and their code is compiled by the JIT over
     * the first thousands of statements, so the early figures are a cold JVM's and the late ones a
     * running server's.
     */
    private static void warmUpCurve(long[] cpu) {
        int window = Math.max(1, cpu.length / 10);
        StringJoiner j = new StringJoiner(" ");
        for (int from = 0; from + window <= cpu.length; from += window) {
            long[] w = Arrays.copyOfRange(cpu, from, from + window);
            Arrays.sort(w);
            j.add(String.format(Locale.ROOT, "%.2f", ms(w, 0.5)));
        }
        System.out.printf(Locale.ROOT, "ad-hoc planning CPU p50 per %d statements, in order (ms): %s%n", window, j);
    }

    /** Wall-clock planning and execution time, and the planning thread's CPU time (robust to a busy machine). */
    private static long[] time(Connection c, String sql, Object unused) throws SQLException {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long s = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long p = System.nanoTime();
            long planCpu = THREADS.getCurrentThreadCpuTime() - cpu;
            drain(ps);
            return new long[]{p - s, System.nanoTime() - p, planCpu};
        }
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    rs.getObject(i);
                }
            }
        }
    }

    private static void report(String what, long[] plan, long[] exec) {
        Arrays.sort(plan);
        Arrays.sort(exec);
        System.out.printf(Locale.ROOT, "%-58s planning p50 %8.3f ms  p95 %8.3f ms | execution p50 %8.3f ms  p95 %8.3f ms (n=%d)%n",
                what, ms(plan, 0.5), ms(plan, 0.95), ms(exec, 0.5), ms(exec, 0.95), exec.length);
    }

    /** {@link #report(String, long[], long[])}, then the planning thread's CPU time. */
    private static void report(String what, long[] plan, long[] exec, long[] cpu) {
        report(what, plan, exec);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-58s planning CPU p50 %5.3f ms  p95 %5.3f ms%n", "  (same, thread CPU time)", ms(cpu, 0.5), ms(cpu, 0.95));
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
