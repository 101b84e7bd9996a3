package io.ugnos.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DuckDbLoaderTest {

    private static final long START = 1_451_606_400L * 1_000_000_000L; // 2016-01-01T00:00:00Z

    @TempDir
    Path dir;

    private final TsbsDevopsGenerator gen =
            new TsbsDevopsGenerator(7, 5, START, TimeUnit.HOURS.toNanos(1), true);

    @ParameterizedTest
    @EnumSource(DuckDbLoader.RowOrder.class)
    void narrowLayoutHoldsEveryPointOnce(DuckDbLoader.RowOrder order) throws Exception {
        Path file = dir.resolve("narrow.duckdb");
        DuckDbSize size = DuckDbLoader.load(gen, file, DuckDbLoader.Layout.NARROW, order);

        assertSizes(size, file);
        assertThat(size.compressionByColumn()).containsKeys("cpu_usage_user.ts", "cpu_usage_guest_nice.value");
        try (Connection c = open(file); Statement s = c.createStatement()) {
            for (String metric : TsbsDevopsGenerator.METRICS) {
                String table = DuckDbLoader.narrowTable(metric);
                assertThat(scalar(s, "SELECT count(*) FROM " + table)).isEqualTo(gen.rows());
                assertThat(scalar(s, "SELECT count(DISTINCT hostname) FROM " + table)).isEqualTo(5);
                assertThat(scalar(s, "SELECT count(DISTINCT ts) FROM " + table)).isEqualTo(gen.ticks());
                assertThat(scalar(s, "SELECT count(*) FROM " + table + " WHERE value <> floor(value)")).isZero();
            }
            assertThat(scalar(s, "SELECT epoch_ns(min(ts)) FROM cpu_usage_user")).isEqualTo(START);
            assertThat(scalar(s, "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()"))
                    .isEqualTo(10);
            if (order == DuckDbLoader.RowOrder.BY_HOST) {
                assertThat(scalar(s, "SELECT count(*) FROM (SELECT hostname <> lag(hostname) OVER (ORDER BY rowid) AS change "
                        + "FROM cpu_usage_user) WHERE change")).isEqualTo(4);
            }
        }
    }

    @Test
    void narrowValuesMatchTheGenerator() throws Exception {
        Path file = dir.resolve("values.duckdb");
        DuckDbLoader.load(gen, file, DuckDbLoader.Layout.NARROW, DuckDbLoader.RowOrder.ARRIVAL);
        double[] sum = new double[10];
        gen.forEachRow((ts, host, values) -> {
            for (int m = 0; m < 10; m++) {
                sum[m] += values[m];
            }
        });
        try (Connection c = open(file); Statement s = c.createStatement()) {
            for (int m = 0; m < 10; m++) {
                String table = DuckDbLoader.narrowTable(TsbsDevopsGenerator.METRICS.get(m));
                try (ResultSet rs = s.executeQuery("SELECT sum(value) FROM " + table)) {
                    rs.next();
                    assertThat(rs.getDouble(1)).isEqualTo(sum[m]);
                }
            }
        }
    }

    @Test
    void timestampBytesMatchDuckDbsRunLengthEncoding() throws Exception {
        // A check of how DuckDbStorage sizes segments: in arrival order each table's ts column is
        // 360 runs of 5 equal timestamps, which DuckDB stores RLE-compressed as an 8-byte header,
        // 360 int64 values and 360 uint16 run lengths: 3608 bytes, not a byte more.
        DuckDbSize size = DuckDbLoader.load(gen, dir.resolve("rle.duckdb"), DuckDbLoader.Layout.NARROW,
                DuckDbLoader.RowOrder.ARRIVAL);
        for (String metric : TsbsDevopsGenerator.METRICS) {
            String ts = DuckDbLoader.narrowTable(metric) + ".ts";
            assertThat(size.compressionByColumn()).containsEntry(ts, "RLE");
            assertThat(size.bytesByColumn().get(ts)).isEqualTo(3608L);
        }
        assertThat(size.tsBytes()).isEqualTo(36_080L);
        assertThat(size.exact()).isTrue();
    }

    @Test
    void wideLayoutHoldsEveryRowWithItsTags() throws Exception {
        Path file = dir.resolve("wide.duckdb");
        DuckDbSize size = DuckDbLoader.load(gen, file, DuckDbLoader.Layout.WIDE, DuckDbLoader.RowOrder.ARRIVAL);

        assertSizes(size, file);
        try (Connection c = open(file); Statement s = c.createStatement()) {
            assertThat(scalar(s, "SELECT count(*) FROM cpu")).isEqualTo(gen.rows());
            assertThat(scalar(s, "SELECT count(DISTINCT (hostname, region, datacenter, rack, os, arch, team, "
                    + "service, service_version, service_environment)) FROM cpu")).isEqualTo(5);
            try (ResultSet rs = s.executeQuery("SELECT region, datacenter FROM cpu WHERE hostname = 'host_3' LIMIT 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(gen.hosts().get(3).tags().get("region"));
                assertThat(rs.getString(2)).isEqualTo(gen.hosts().get(3).tags().get("datacenter"));
            }
        }
        assertThat(size.compressionByColumn()).containsKeys("cpu.ts", "cpu.usage_user", "cpu.hostname");
    }

    @Test
    void refusesAnExistingFile() throws IOException {
        Path file = Files.createFile(dir.resolve("exists.duckdb"));
        assertThatThrownBy(() -> DuckDbLoader.load(gen, file, DuckDbLoader.Layout.WIDE, DuckDbLoader.RowOrder.ARRIVAL))
                .isInstanceOf(IOException.class);
    }

    private void assertSizes(DuckDbSize size, Path file) throws IOException {
        assertThat(size.rows()).isEqualTo(gen.rows());
        assertThat(size.points()).isEqualTo(gen.points());
        assertThat(size.fileBytes()).isPositive().isEqualTo(Files.size(file));
        assertThat(size.tsBytes()).isPositive();
        assertThat(size.valueBytes()).isPositive();
        assertThat(size.exact()).isTrue();
        assertThat(size.freeBytes()).isBetween(0L, size.fileBytes());
        long attributed = size.bytesByColumn().values().stream().mapToLong(Long::longValue).sum();
        assertThat(attributed).isGreaterThanOrEqualTo(size.tsBytes() + size.valueBytes())
                .isLessThan(size.fileBytes());
        assertThat(size.compressionByColumn().values()).allSatisfy(v -> assertThat(v).isNotBlank());
        assertThat(size.loadSeconds()).isPositive();
    }

    private static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
    }

    private static long scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
