package io.ugnos.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC load path against the engine load path: the same generated rows must end up as the same
 * points, and the same answer to a query that reads all of them.
 */
class UgnosJdbcLoadTest {
    private static final long HOUR = 3_600_000_000_000L;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    @Test
    void jdbcBatchesStoreTheSamePointsAsDatabaseWrite(@TempDir Path dir) throws Exception {
        // 2 h 5 min: three executeBatch rounds, the last one partial
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(7, 3, START, 2 * HOUR + 300_000_000_000L, true);

        UgnosJdbcLoad.Result jdbc = UgnosJdbcLoad.load(data, Files.createDirectory(dir.resolve("jdbc")));

        assertThat(jdbc.storedPoints()).isEqualTo(data.points());
        assertThat(jdbc.figures().rows()).isEqualTo(data.rows());
        assertThat(jdbc.figures().diskBytes()).isPositive();
        String sql = "SELECT \"hostname\", \"region\", COUNT(*), SUM(\"value\"), MIN(ts_ns), MAX(ts_ns) "
                + "FROM \"cpu.usage_system\" GROUP BY \"hostname\", \"region\" ORDER BY \"hostname\"";
        try (UgnosTarget engine = new UgnosTarget()) {
            engine.load(data, Files.createDirectory(dir.resolve("engine")));
            assertThat(jdbc.storedPoints()).isEqualTo(engine.storedPoints());
            List<List<Object>> expected = engine.execute(sql, true).rows();
            assertThat(expected).hasSize(3);
            assertThat(queryJdbcLoaded(dir.resolve("jdbc"), sql)).isEqualTo(expected);
        }
    }

    private static List<List<Object>> queryJdbcLoaded(Path db, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:ugnos:" + db.toAbsolutePath() + ";create=false")) {
            return JdbcRun.execute(c, sql, true).rows();
        }
    }

    @Test
    void insertNamesEveryTagAsAParameter() {
        assertThat(UgnosJdbcLoad.insertSql("usage_user", List.of("hostname", "region")))
                .isEqualTo("INSERT INTO \"cpu.usage_user\" (ts_ns, \"value\", \"hostname\", \"region\") VALUES (?, ?, ?, ?)");
        assertThat(UgnosJdbcLoad.insertSql("usage_user", Host.TAG_KEYS)).endsWith("?, ?)").contains("\"service_environment\"");
    }
}
