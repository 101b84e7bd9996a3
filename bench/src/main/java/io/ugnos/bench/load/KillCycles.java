package io.ugnos.bench.load;

import io.ugnos.engine.Durability;
import io.ugnos.jdbc.cli.Ugnos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kill -9 of the server under load: starts {@code ugnos server --durability sync} in another JVM,
 * lets remote clients insert batches (and now and then FLUSH or COMPACT), kills the server with
 * SIGKILL at a random moment, restarts it on the same directory and reads every row back through
 * JDBC: each row of a batch that was acknowledged must be there exactly once, a row of a batch that
 * failed (the kill cut its reply) at most once. After the last cycle the server is stopped cleanly,
 * {@code ugnos check} must find the directory sound, and an embedded connection must read the same.
 *
 * <pre>
 * java -cp ... io.ugnos.bench.load.KillCycles --cycles=20 --clients=4
 * </pre>
 */
public final class KillCycles {
    private static final int BATCH_ROWS = 50;
    private static final int SERIES = 2;

    private KillCycles() {
    }

    /**
     * @param cycles   kills survived
     * @param rowsAcked rows in acknowledged batches
     * @param audit    the final read-back (missing = rows lost)
     * @param errors   what went wrong other than the clients' expected failures at a kill
     */
    record Result(int cycles, long rowsAcked, long rowsInFailedBatches, RowAudit audit, List<String> errors) {
        void print(java.io.PrintStream out) {
            out.printf("kill -9 cycles: %d survived; rows acknowledged %d, lost %d, duplicated %d, unexpected %d;"
                            + " rows in batches cut by a kill %d (found after restart: %d); errors %d%n",
                    cycles, rowsAcked, audit.missing(), audit.duplicated(), audit.unexpected(), rowsInFailedBatches,
                    audit.read() - audit.duplicated() - audit.unexpected() - (rowsAcked - audit.missing()), errors.size());
            errors.forEach(e -> out.println("ERROR " + e));
        }
    }

    public static void main(String[] args) throws Exception {
        int cycles = 10, clients = 4;
        for (String a : args) {
            if (a.startsWith("--cycles=")) {
                cycles = Integer.parseInt(a.substring(9));
            } else if (a.startsWith("--clients=")) {
                clients = Integer.parseInt(a.substring(10));
            } else {
                throw new IllegalArgumentException("arguments: --cycles=N --clients=N, got '" + a + "'");
            }
        }
        Path dir = Files.createTempDirectory("ugnos-kill");
        Result r = run(dir, cycles, clients, 42);
        r.print(System.out);
        System.exit(r.errors().isEmpty() && r.audit().exact() ? 0 : 1);
    }

    static Result run(Path dir, int cycles, int clients, long seed) throws Exception {
        Random random = new Random(seed);
        RowKeys keys = RowKeys.startingNow(SERIES);
        List<AckedRows> written = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            ServerProcess server = ServerProcess.start(dir, Durability.SYNC);
            try {
                if (cycle == 0) {
                    written.add(seed(server.clientUrl(), keys));
                } else {
                    audit(server.clientUrl(), keys, written, "after kill " + cycle, errors);
                }
                AtomicBoolean stop = new AtomicBoolean();
                Queue<String> unexpectedFailures = new ConcurrentLinkedQueue<>();
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    AckedRows rows = new AckedRows("k" + cycle + "c" + i, SERIES);
                    written.add(rows);
                    Thread t = new Thread(() -> insertUntilFailure(server.clientUrl(), keys, rows, stop, unexpectedFailures),
                            rows.client);
                    threads.add(t);
                    t.start();
                }
                Thread.sleep(300 + random.nextInt(1700));
                server.kill();
                stop.set(true);
                for (Thread t : threads) {
                    t.join(60_000);
                    if (t.isAlive()) {
                        errors.add("client " + t.getName() + " still running 60 s after the kill");
                    }
                }
                errors.addAll(unexpectedFailures);
            } finally {
                server.kill();
            }
        }
        ServerProcess last = ServerProcess.start(dir, Durability.SYNC);
        RowAudit audit;
        try {
            audit = audit(last.clientUrl(), keys, written, "after the last kill", errors);
        } finally {
            int exit = last.stop();
            // 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran on SIGTERM
            if (exit != 0 && exit != 143) {
                errors.add("server exited with " + exit + " on SIGTERM:\n" + last.output());
            }
        }
        if (Ugnos.run("check", dir.toString()) != 0) {
            errors.add("ugnos check " + dir + " found damage");
        }
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + dir.toAbsolutePath())) {
            RowAudit embedded = RowAudit.of(c, keys, written);
            if (!embedded.equals(audit)) {
                errors.add("an embedded connection reads " + embedded + ", the server read " + audit);
            }
        }
        long acked = written.stream().mapToLong(AckedRows::ackedCount).sum();
        long failed = 0;
        for (AckedRows r : written) {
            for (int s = 0; s < SERIES; s++) {
                failed += r.unknown(s).cardinality();
            }
        }
        return new Result(cycles, acked, failed, audit, errors);
    }

    private static RowAudit audit(String url, RowKeys keys, List<AckedRows> written, String when, List<String> errors) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            RowAudit a = RowAudit.of(c, keys, written);
            if (!a.exact()) {
                errors.add(when + ": " + a);
            }
            return a;
        }
    }

    private static AckedRows seed(String url, RowKeys keys) throws SQLException {
        AckedRows seed = new AckedRows("seed", SERIES);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (int i = 0; i < SERIES; i++) {
                s.execute("INSERT INTO \"" + keys.seriesName(i) + "\" (ts_ns, \"value\", client) VALUES (" + keys.tsNanos(0) + ", 0, 'seed')");
                seed.acknowledge(i, 0, 1);
            }
        }
        return seed;
    }

    /**
     * Inserts batches until the server goes away. A failure before the kill is an error; the first
     * failure after it ends the client, its batch marked as unknown.
     */
    private static void insertUntilFailure(String url, RowKeys keys, AckedRows rows, AtomicBoolean killed, Queue<String> errors) {
        long seq = 0;
        int batch = 0;
        try (Connection c = DriverManager.getConnection(url)) {
            while (true) {
                int series = batch % SERIES;
                long from = seq;
                seq += BATCH_ROWS;
                try {
                    if (batch % 40 == 39) {
                        try (Statement s = c.createStatement()) {
                            s.execute(batch % 80 == 79 ? "COMPACT" : "FLUSH");
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"" + keys.seriesName(series)
                            + "\" (ts_ns, \"value\", client) VALUES (?, ?, ?)")) {
                        for (long i = from; i < seq; i++) {
                            ps.setLong(1, keys.tsNanos(i));
                            ps.setDouble(2, i);
                            ps.setString(3, rows.client);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    rows.acknowledge(series, from, seq);
                } catch (SQLException | RuntimeException e) {
                    rows.markUnknown(series, from, seq);
                    if (!killed.get() && !serverGone(e)) {
                        errors.add(rows.client + " failed before the kill: " + e);
                    }
                    return;
                }
                batch++;
            }
        } catch (SQLException e) {
            if (!killed.get() && !serverGone(e)) {
                errors.add(rows.client + " could not connect: " + e);
            }
        }
    }

    /**
     * Whether {@code e} is the server going away: the kill and the client's failure race (the client
     * may see the refused connection before this thread has set the flag).
     */
    private static boolean serverGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
