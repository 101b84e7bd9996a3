package io.ugnos.jdbc.fuzz;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code setQueryTimeout} and {@code Statement.cancel()} stop long queries through the driver: a full
 * scan and a self-join whose work is done by Calcite over the scans, each ending in an SQLException
 * well within the watchdog's limit, with the connection usable afterwards.
 */
class LongQueryInterruptTest {
    private static final int POINTS = 400_000;
    private static Connection c;
    private static final JdbcContract contract = new JdbcContract(60_000);

    @BeforeAll
    static void load() throws SQLException {
        c = DriverManager.getConnection("jdbc:ugnos:mem:long-query");
        Database db = c.unwrap(Database.class);
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < POINTS; i++) {
            b.add("big", TagSet.of("host", "h" + (i % 10)), 1_767_225_600_000_000_000L + i * 1_000_000L, i);
            if (b.pointCount() == 50_000) {
                db.write(b);
                b.clear();
            }
        }
        db.write(b);
    }

    @AfterAll
    static void close() throws SQLException {
        contract.shutdown();
        c.close();
    }

    private static final String SELF_JOIN = "SELECT COUNT(*) FROM big a JOIN big b ON a.host = b.host WHERE a.value + b.value < 0";

    private static SQLException runInterrupted(String sql, int timeoutSeconds, long cancelAfterMillis) {
        Statement[] st = new Statement[1];
        ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        try {
            SQLException e = contract.check(sql, () -> {
                try (Statement s = c.createStatement()) {
                    st[0] = s;
                    s.setQueryTimeout(timeoutSeconds);
                    if (cancelAfterMillis > 0) {
                        canceller.schedule(() -> {
                            s.cancel();
                            return null;
                        }, cancelAfterMillis, TimeUnit.MILLISECONDS);
                    }
                    try (ResultSet rs = s.executeQuery(sql)) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                }
            }, () -> st[0].cancel());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat((Object) e).as("the query finished in %d s instead of being stopped", seconds).isNotNull();
            return e;
        } finally {
            canceller.shutdownNow();
        }
    }

    private static void connectionStillWorks() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM big WHERE host = 'h1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(POINTS / 10);
        }
    }

    @Test
    void aTimeoutStopsASelfJoin() throws SQLException {
        SQLException e = runInterrupted(SELF_JOIN, 1, 0);
        assertThat((Throwable) e).hasStackTraceContaining("timeout");
        connectionStillWorks();
    }

    @Test
    void cancelStopsASelfJoin() throws SQLException {
        SQLException e = runInterrupted(SELF_JOIN, 0, 500);
        assertThat((Throwable) e).hasStackTraceContaining("cancel");
        connectionStillWorks();
    }

    @Test
    void cancelStopsAFullScan() throws SQLException {
        runInterrupted("SELECT ts, value, host FROM big a WHERE a.value * 0 = 1 OR a.value >= 0", 0, 100);
        connectionStillWorks();
    }
}
