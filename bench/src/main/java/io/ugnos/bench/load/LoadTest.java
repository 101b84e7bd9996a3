package io.ugnos.bench.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ugnos.jdbc.UgnosDataSource;
import io.ugnos.jdbc.server.UgnosServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A bounded load test: an {@link UgnosServer} on a loopback port and a HikariCP pool of embedded
 * connections serve one database directory, remote and pooled clients insert, query and run DDL
 * for a fixed time, then every acknowledged row is read back and the process' threads, file
 * descriptors and heap are compared with before.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.ugnos.bench.load.LoadTest \
 *     --seconds=60 --remote-clients=16 --embedded-clients=16
 * </pre>
 *
 * Server and pool share one directory: in one JVM both open it through the driver, which keeps one
 * {@code Database} per directory (the directory lock admits one process, not one {@code open}), so
 * remote and embedded clients write to, and read, the same engine, as an application embedding
 * ugnos while serving it to tools would.
 */
public final class LoadTest {
    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        LoadResult r = run(LoadConfig.parse(args));
        r.print(System.out);
        boolean ok = r.errors().isEmpty() && r.audit().exact() && r.leaks().isEmpty();
        System.exit(ok ? 0 : 1);
    }

    /** Runs the load test once, after a short warm-up whose end is the resource baseline. */
    static LoadResult run(LoadConfig config) throws Exception {
        // the first server start loads classes and JDK singletons (HTTP client selectors, logging):
        // they are not leaks, so the baseline is taken after one small run
        runOnce(new LoadConfig(1, 1, 1, 1, 10, config.durability(), 1, 1, 1, 1, 1), null);
        return runOnce(config, ResourceSnapshot.take());
    }

    private static LoadResult runOnce(LoadConfig config, ResourceSnapshot before) throws Exception {
        Path dir = Files.createTempDirectory("ugnos-load");
        try {
            RowKeys keys = RowKeys.startingNow(config.series());
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            List<LoadClient> clients = new ArrayList<>();
            long elapsed;
            try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, "127.0.0.1", null, null, config.durability()));
                 HikariDataSource pool = pool(dir, config.embeddedClients())) {
                AckedRows seed = seed(pool, keys);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.seconds());
                for (int i = 0; i < config.remoteClients(); i++) {
                    clients.add(new LoadClient(String.format("r%02d", i), ClientConnections.kept(DriverManager.getConnection(server.clientUrl())),
                            config, keys, deadline, config.seed() * 1000 + i, errors));
                }
                for (int i = 0; i < config.embeddedClients(); i++) {
                    clients.add(new LoadClient(String.format("e%02d", i), ClientConnections.pooled(pool),
                            config, keys, deadline, config.seed() * 1000 + 500 + i, errors));
                }
                long start = System.nanoTime();
                ExecutorService threads = Executors.newFixedThreadPool(clients.size());
                clients.forEach(threads::execute);
                threads.shutdown();
                // a client finishes the operation it is in at the deadline; one that is still going a
                // minute later is stuck
                if (!threads.awaitTermination(config.seconds() + 60L, TimeUnit.SECONDS)) {
                    errors.add("clients still running 60 s after the deadline");
                    threads.shutdownNow();
                }
                elapsed = System.nanoTime() - start;
                RowAudit audit;
                try (Connection c = pool.getConnection()) {
                    List<AckedRows> written = new ArrayList<>(clients.stream().map(cl -> cl.rows).toList());
                    written.add(seed);
                    audit = RowAudit.of(c, keys, written);
                }
                LatencyLog all = new LatencyLog();
                long acked = 0;
                for (LoadClient cl : clients) {
                    all.addAll(cl.latencies);
                    acked += cl.rows.ackedCount();
                }
                if (before == null) {
                    return null;
                }
                pool.close();
                server.close();
                ResourceSnapshot after = ResourceSnapshot.settleTowards(before, 15_000);
                return new LoadResult(config, elapsed, all, acked, audit, List.copyOf(errors), before, after);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * Creates the series with one row each (client {@code seed}): a series' tag columns come from the
     * points written, so a query naming {@code client} fails on a series that has none yet.
     */
    private static AckedRows seed(HikariDataSource pool, RowKeys keys) throws SQLException {
        AckedRows seed = new AckedRows("seed", keys.series());
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < keys.series(); i++) {
                s.execute("CREATE SERIES IF NOT EXISTS \"" + keys.seriesName(i) + "\" WITH (retention = '3650d')");
                s.execute("INSERT INTO \"" + keys.seriesName(i) + "\" (ts_ns, \"value\", client, zone) VALUES ("
                        + keys.tsNanos(0) + ", 0, 'seed', 'z0')");
                seed.acknowledge(i, 0, 1);
            }
        }
        return seed;
    }

    private static HikariDataSource pool(Path dir, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(new UgnosDataSource("jdbc:ugnos:" + dir.toAbsolutePath()));
        hc.setMaximumPoolSize(Math.max(1, size));
        hc.setPoolName("ugnos-load");
        return new HikariDataSource(hc);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
