package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Time and tag predicates reach the engine: EXPLAIN shows them on the scan, and the engine decodes
 * only the blocks that can match (its counters, not timings, are the evidence).
 */
class PushdownTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static Path dir;
    private static Database db;
    private static Connection c;

    @BeforeAll
    static void load() throws Exception {
        dir = Files.createTempDirectory("ugnos-pushdown");
        db = Database.open(dir, DatabaseOptions.defaults());
        WriteBatch b = new WriteBatch();
        for (int h = 0; h < 20; h++) {
            WriteBatch.Run r = b.run("cpu.usage_user", TagSet.of("hostname", "host_" + h, "region", h % 2 == 0 ? "eu" : "us"));
            for (long t = 0; t < 2 * DAY_MS; t += 10_000) { // two days every 10 s: 17,280 points per host
                r.add((T0 + t) * 1_000_000L, (t / 10_000) % 100);
            }
        }
        db.write(b);
        db.compact();
        c = UgnosSql.connect(db);
    }

    @AfterAll
    static void close() throws Exception {
        c.close();
        db.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static String explain(String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN PLAN FOR " + sql)) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(rs.getString(1));
            }
            return sb.toString();
        }
    }

    private static long decodedBy(String sql, Object... params) throws SQLException {
        long before = db.stats().get("blocks_decoded");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        }
        return db.stats().get("blocks_decoded") - before;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ts >= TIMESTAMP '2026-01-02 01:00:00' AND ts < TIMESTAMP '2026-01-02 02:00:00'",
            "ts BETWEEN TIMESTAMP '2026-01-02 01:00:00' AND TIMESTAMP '2026-01-02 01:59:59'",
            "ts_ns >= 1767315600000000000 AND ts_ns < 1767319200000000000",
            "ts > TIMESTAMP '2026-01-02 00:59:59.999' AND ts <= TIMESTAMP '2026-01-02 01:59:59.999'",
    })
    void oneHostOneHourDecodesOneBlock(String time) throws SQLException {
        String sql = "SELECT ts, \"value\" FROM \"cpu.usage_user\" WHERE hostname = 'host_7' AND " + time;
        assertThat(explain(sql)).contains("filters=").contains("host_7");
        // one host's hour lies in one block of 1,024 points (2.8 hours)
        assertThat(decodedBy(sql)).isBetween(1L, 2L);
    }

    @Test
    void parametersArePushedAtExecution() throws SQLException {
        String sql = "SELECT ts FROM \"cpu.usage_user\" WHERE hostname = ? AND ts >= ? AND ts < ?";
        long decoded = decodedBy(sql, "host_3", new Timestamp(T0 + DAY_MS + 3_600_000), new Timestamp(T0 + DAY_MS + 7_200_000));
        assertThat(decoded).isBetween(1L, 2L);
    }

    @Test
    void tagPredicatesPruneTagSets() throws SQLException {
        long all = decodedBy("SELECT COUNT(*) FROM \"cpu.usage_user\"");
        long eu = decodedBy("SELECT COUNT(*) FROM \"cpu.usage_user\" WHERE region = 'eu'");
        long two = decodedBy("SELECT COUNT(*) FROM \"cpu.usage_user\" WHERE hostname IN ('host_1', 'host_2')");
        long prefix = decodedBy("SELECT COUNT(*) FROM \"cpu.usage_user\" WHERE hostname LIKE 'host!_1%' ESCAPE '!'"); // host_1, host_10..19
        assertThat(eu * 2).isEqualTo(all);
        assertThat(two * 10).isEqualTo(all);
        assertThat(prefix * 20).isEqualTo(all * 11);
    }

    @Test
    void identifiersMatchCaseInsensitively() throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT COUNT(VALUE) FROM \"CPU.USAGE_USER\" WHERE HostName = 'host_0' AND TS < TIMESTAMP '2026-01-01 00:01:00'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(6);
        }
    }

    @Test
    void newSeriesIsVisibleToTheNextStatement() throws SQLException {
        db.write(new WriteBatch().add("late.series", TagSet.of("k", "v"), 5, 1.5));
        try (ResultSet rs = c.createStatement().executeQuery("SELECT k, \"value\", ts_ns FROM \"late.series\"")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("v");
            assertThat(rs.getDouble(2)).isEqualTo(1.5);
            assertThat(rs.getLong(3)).isEqualTo(5);
        }
    }

    @Test
    void unknownTableIsAnSqlExceptionWithItsPosition() {
        assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT * FROM nope"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("line 1, column 15")
                .hasMessageContaining("nope");
    }
}
