package io.ugnos.bench.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ugnos.jdbc.UgnosDataSource;
import io.ugnos.jdbc.server.UgnosServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that opens a large result and stops fetching, and one that holds a statement and an
 * uncommitted "transaction" idle, must not hold up anyone else: other remote and embedded clients
 * keep inserting, querying, flushing and compacting (which replaces the segments the stalled scan is
 * reading) within a bounded time, and the stalled scan, resumed afterwards, still reads exactly the
 * rows it started on. A server stops even while a client has a result open.
 */
class StalledClientTest {
    private static final int BIG_ROWS = 30_000;
    /** Generous on a shared 2-core machine; a client blocked behind the stalled one would wait forever. */
    private static final long OPERATION_LIMIT_SECONDS = 30;

    @TempDir
    Path tmp;

    @Test
    void stalledReadersAndIdleTransactionsDoNotBlockOtherClients() throws Exception {
        Path dir = tmp.resolve("db");
        Connection abandoned;
        long closeStart;
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, "127.0.0.1", null, null));
             HikariDataSource pool = pool(dir)) {
            try (Connection c = pool.getConnection()) {
                insert(c, "big", "seed", 0, BIG_ROWS - 5_000);
                try (Statement s = c.createStatement()) {
                    s.execute("FLUSH"); // most rows in a segment, the rest in the memtable
                }
                insert(c, "big", "seed", BIG_ROWS - 5_000, BIG_ROWS);
            }

            // remote: a large result, one row read, then nothing
            Connection stalled = DriverManager.getConnection(server.clientUrl());
            Statement stalledStatement = stalled.createStatement();
            stalledStatement.setFetchSize(100);
            ResultSet stalledRows = stalledStatement.executeQuery("SELECT ts_ns, \"value\" FROM \"big\"");
            assertThat(stalledRows.next()).isTrue();
            // embedded: the same, holding an engine scan open in this JVM
            Connection stalledLocal = pool.getConnection();
            Statement stalledLocalStatement = stalledLocal.createStatement();
            ResultSet stalledLocalRows = stalledLocalStatement.executeQuery("SELECT ts_ns FROM \"big\"");
            assertThat(stalledLocalRows.next()).isTrue();
            // remote: a write in an uncommitted "transaction" and a prepared, executed, unread statement
            Connection idle = DriverManager.getConnection(server.clientUrl());
            idle.setAutoCommit(false);
            insert(idle, "idle", "idle", 0, 10);
            PreparedStatement idleStatement = idle.prepareStatement("SELECT count(*) FROM \"big\" WHERE ts_ns >= ?");
            idleStatement.setLong(1, 0);
            ResultSet idleRows = idleStatement.executeQuery();

            ExecutorService workers = Executors.newFixedThreadPool(4);
            try {
                List<Future<Long>> done = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String name = "r" + i;
                    done.add(workers.submit(work(() -> DriverManager.getConnection(server.clientUrl()), true, name)));
                    String local = "e" + i;
                    done.add(workers.submit(work(pool::getConnection, false, local)));
                }
                for (Future<Long> f : done) {
                    long slowestMillis = f.get(4 * OPERATION_LIMIT_SECONDS, TimeUnit.SECONDS);
                    assertThat(slowestMillis).isLessThan(TimeUnit.SECONDS.toMillis(OPERATION_LIMIT_SECONDS));
                }
            } finally {
                workers.shutdownNow();
            }

            // the stalled scans resume after flushes and compactions replaced their segments
            long n = 1;
            while (stalledRows.next()) {
                n++;
            }
            assertThat(n).isEqualTo(BIG_ROWS);
            long local = 1;
            while (stalledLocalRows.next()) {
                local++;
            }
            assertThat(local).isEqualTo(BIG_ROWS);
            assertThat(idleRows.next()).isTrue();
            assertThat(idleRows.getLong(1)).isEqualTo(BIG_ROWS);
            idle.commit();
            stalled.close();
            stalledLocal.close();
            idle.close();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT client, count(*) FROM \"work\" GROUP BY client ORDER BY client")) {
                int clients = 0;
                while (rs.next()) {
                    clients++;
                    assertThat(rs.getLong(2)).as(rs.getString(1)).isEqualTo(WORK_ROUNDS * 50L);
                }
                assertThat(clients).isEqualTo(4);
            }
            // a client that walks away mid-result must not keep the server from stopping
            abandoned = DriverManager.getConnection(server.clientUrl());
            Statement s = abandoned.createStatement();
            s.setFetchSize(100);
            ResultSet rs = s.executeQuery("SELECT ts_ns FROM \"big\"");
            assertThat(rs.next()).isTrue();
            closeStart = System.nanoTime();
        }
        assertThat(System.nanoTime() - closeStart).isLessThan(TimeUnit.SECONDS.toNanos(OPERATION_LIMIT_SECONDS));
        assertThat(abandoned.isValid(5)).isFalse();
        // Avatica reports that it could not tell the stopped server (UgnosServerTest); closed all the same
        try {
            abandoned.close();
        } catch (SQLException expected) {
            assertThat(abandoned.isClosed()).isTrue();
        }
    }

    private static final int WORK_ROUNDS = 6;

    /** Inserts, queries, flushes and compacts; returns the slowest operation's milliseconds. */
    private static Callable<Long> work(Callable<Connection> open, boolean keep, String name) {
        return () -> {
            long slowest = 0;
            Connection kept = keep ? open.call() : null;
            try {
                for (int round = 0; round < WORK_ROUNDS; round++) {
                    for (String op : new String[]{"insert", "select", "scan", round % 2 == 0 ? "FLUSH" : "COMPACT"}) {
                        long start = System.nanoTime();
                        Connection c = keep ? kept : open.call();
                        try {
                            switch (op) {
                                case "insert" -> insert(c, "work", name, round * 50L, round * 50L + 50);
                                case "select" -> count(c, "SELECT count(*) FROM \"big\" WHERE ts_ns >= 1000 AND ts_ns < 2000000");
                                case "scan" -> count(c, "SELECT count(*) FROM \"big\"");
                                default -> {
                                    try (Statement s = c.createStatement()) {
                                        s.execute(op);
                                    }
                                }
                            }
                        } finally {
                            if (!keep) {
                                c.close();
                            }
                        }
                        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                    }
                }
            } finally {
                if (kept != null) {
                    kept.close();
                }
            }
            return slowest;
        };
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(Connection c, String series, String client, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"" + series + "\" (ts_ns, \"value\", client) VALUES (?, ?, ?)")) {
            for (long i = from; i < to; i++) {
                ps.setLong(1, 1_000_000L * i);
                ps.setDouble(2, i);
                ps.setString(3, client);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static HikariDataSource pool(Path dir) {
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(new UgnosDataSource("jdbc:ugnos:" + dir.toAbsolutePath()));
        hc.setMaximumPoolSize(4);
        return new HikariDataSource(hc);
    }
}
