package io.ugnos.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ugnos.engine.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UgnosDataSourceTest {
    private static final int THREADS = 8;
    private static final int QUERIES_PER_THREAD = 10;

    @TempDir
    Path tmp;

    @Test
    void dataSourceConnectsWithItsPropertiesAndUser() throws SQLException {
        UgnosDataSource ds = new UgnosDataSource();
        assertThatThrownBy(ds::getConnection).hasMessageContaining("has no URL");
        ds.setUrl("jdbc:ugnos:mem:ds-test");
        ds.setUser("alice");
        ds.setPassword("ignored-when-embedded");
        ds.setProperty("readOnly", "true");
        ds.setLoginTimeout(5);
        assertThat(ds.getLoginTimeout()).isEqualTo(5);
        try (Connection c = ds.getConnection()) {
            assertThat(c.isReadOnly()).isTrue();
            assertThat(c.isValid(1)).isTrue();
        }
        ds.setProperty("nonsense", "1");
        assertThatThrownBy(ds::getConnection).hasMessageContaining("unknown property 'nonsense'");
        ds.setUrl("jdbc:other:x");
        ds.setProperty("nonsense", null);
        assertThatThrownBy(ds::getConnection).hasMessageContaining("not a ugnos URL");
    }

    @Test
    void hikariPoolsTheDataSourceAcrossThreadsAndClosesTheDatabaseWithThePool() throws Exception {
        Path dir = tmp.resolve("pooled");
        String url = "jdbc:ugnos:" + dir;
        int openBefore = SharedDatabases.INSTANCE.openCount();
        try (HikariDataSource pool = new HikariDataSource(poolConfig(url))) {
            try (Connection c = pool.getConnection()) {
                DriverTest.writeCpu(c.unwrap(Database.class), 100);
            }
            runQueries(pool);
            assertThat(SharedDatabases.INSTANCE.openCount()).isEqualTo(openBefore + 1);
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        // the pool closed every connection, and with the last one the database
        assertThat(SharedDatabases.INSTANCE.openCount()).isEqualTo(openBefore);
        try (Database db = Database.open(dir)) { // the lock is free again
            assertThat(db.series()).containsExactly("cpu.usage_user");
        }

        try (HikariDataSource reopened = new HikariDataSource(poolConfig(url))) {
            runQueries(reopened);
        }
        assertThat(SharedDatabases.INSTANCE.openCount()).isEqualTo(openBefore);
    }

    private static HikariConfig poolConfig(String url) {
        HikariConfig config = new HikariConfig();
        // by class name and bean property, as pools are configured from files
        config.setDataSourceClassName(UgnosDataSource.class.getName());
        config.addDataSourceProperty("url", url);
        config.setMaximumPoolSize(THREADS / 2); // fewer connections than threads: they wait for each other
        config.setConnectionTestQuery("SELECT 1");
        config.setConnectionTimeout(60_000);
        config.setPoolName("ugnos-test");
        return config;
    }

    private static void runQueries(HikariDataSource pool) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    long sum = 0;
                    for (int q = 0; q < QUERIES_PER_THREAD; q++) {
                        String host = (thread + q) % 2 == 0 ? "web-1" : "web-2";
                        try (Connection c = pool.getConnection();
                             PreparedStatement ps = c.prepareStatement(
                                     "SELECT count(*), sum(\"value\") FROM \"cpu.usage_user\" WHERE host = ?")) {
                            ps.setString(1, host);
                            try (ResultSet rs = ps.executeQuery()) {
                                assertThat(rs.next()).isTrue();
                                assertThat(rs.getLong(1)).isEqualTo(50);
                                // values are the point indexes: even ones on web-1, odd ones on web-2
                                assertThat(rs.getDouble(2)).isEqualTo(host.equals("web-1") ? 2450.0 : 2500.0);
                                sum += rs.getLong(1);
                            }
                        }
                    }
                    return sum;
                }));
            }
            for (Future<Long> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(50L * QUERIES_PER_THREAD);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
