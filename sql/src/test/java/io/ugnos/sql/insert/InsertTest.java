package io.ugnos.sql.insert;

import io.ugnos.sql.SqlTestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** INSERT through JDBC: VALUES, INSERT … SELECT, batched prepared statements, new tag columns, time zones, bad rows. */
class InsertTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final long T0_NS = T0.getEpochSecond() * 1_000_000_000L;
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @Test
    void valuesInsertCreatesTheSeriesAndReturnsTheRowCount() throws Exception {
        long n = t.update("INSERT INTO \"cpu.usage_user\" (ts, value, host) VALUES"
                + " (TIMESTAMP '2026-03-01 12:00:00', 1.5, 'web-1'), (TIMESTAMP '2026-03-01 12:00:00.000000001', -2, 'web-2'),"
                + " (TIMESTAMP '2026-03-01 12:00:01', CAST('NaN' AS DOUBLE), NULL)");
        assertThat(n).isEqualTo(3);
        assertThat(t.rows("SELECT ts_ns, value, host FROM \"cpu.usage_user\" ORDER BY ts_ns")).containsExactly(
                List.of(T0_NS, 1.5, "web-1"), List.of(T0_NS + 1, -2.0, "web-2"), Arrays.asList(T0_NS + 1_000_000_000L, Double.NaN, null));
    }

    @Test
    void tsNanosColumnTakesEpochNanoseconds() throws Exception {
        t.update("INSERT INTO cpu (ts_ns, value) VALUES (" + (T0_NS + 7) + ", 1), (-5, 2)");
        assertThat(t.rows("SELECT ts_ns FROM cpu ORDER BY ts_ns")).containsExactly(List.of(-5L), List.of(T0_NS + 7));
    }

    @Test
    void insertIntoMissingSeriesFailsWhenCreationIsOff() throws Exception {
        var c = io.ugnos.sql.session.UgnosConnection.wrap(t.connection().unwrap(org.apache.calcite.jdbc.CalciteConnection.class), t.db(), false);
        assertThatThrownBy(() -> c.createStatement().execute("INSERT INTO cpu (ts, value) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1)"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("series cpu does not exist");
        assertThat(t.db().hasSeries("cpu")).isFalse();
    }

    @Test
    void newTagColumnAppearsInTheTable() throws Exception {
        t.update("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-03-01 12:00:00', 1, 'a')");
        t.update("INSERT INTO cpu (ts, value, HOST, region) VALUES (TIMESTAMP '2026-03-01 12:00:01', 2, 'b', 'eu')");
        assertThat(t.db().tagKeys("cpu")).containsExactly("host", "region"); // HOST resolved to the existing key
        assertThat(t.rows("SELECT host, region FROM cpu ORDER BY ts")).containsExactly(
                Arrays.asList("a", null), List.of("b", "eu"));
    }

    @Test
    void insertSelectCopiesBetweenSeries() throws Exception {
        t.update("INSERT INTO src (ts_ns, value, host) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'a')");
        long n = t.update("INSERT INTO dst (ts_ns, value, origin) SELECT ts_ns, value * 10, host FROM src WHERE host = 'a'");
        assertThat(n).isEqualTo(2);
        assertThat(t.rows("SELECT ts_ns, value, origin FROM dst ORDER BY ts_ns")).containsExactly(
                List.of(1L, 10.0, "a"), List.of(3L, 30.0, "a"));
        assertThatThrownBy(() -> t.update("INSERT INTO dst (ts_ns, value) SELECT ts_ns FROM src"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("returns 1 columns for 2 target columns");
    }

    @Test
    void preparedInsertSelectBindsParameters() throws Exception {
        t.update("INSERT INTO src (ts_ns, value, host) VALUES (1, 1, 'a'), (2, 2, 'b')");
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO dst (ts_ns, value) SELECT ts_ns, value FROM src WHERE host = ?")) {
            ps.setString(1, "b");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(t.rows("SELECT ts_ns, value FROM dst")).containsExactly(List.of(2L, 2.0));
    }

    @Test
    void batchedPreparedStatementWritesTenThousandRowsInOneWrite() throws Exception {
        long batchesBefore = t.db().stats().get("batches_written");
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (ts, value, host) VALUES (?, ?, ?)")) {
            for (int i = 0; i < 10_000; i++) {
                ps.setTimestamp(1, Timestamp.from(T0.plusSeconds(i)));
                ps.setDouble(2, i * 0.5);
                ps.setString(3, "h" + (i % 10));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            assertThat(counts).hasSize(10_000).containsOnly(1);
        }
        assertThat(t.db().stats().get("batches_written") - batchesBefore).isEqualTo(1);
        assertThat(t.scalar("SELECT count(*) FROM cpu")).isEqualTo(10_000L);
        assertThat(t.scalar("SELECT sum(value) FROM cpu")).isEqualTo(0.5 * 9_999 * 10_000 / 2);
        assertThat(t.rows("SELECT ts_ns, value, host FROM cpu WHERE host = 'h3' ORDER BY ts LIMIT 1"))
                .containsExactly(List.of(T0_NS + 3_000_000_000L, 1.5, "h3"));
    }

    @Test
    void oneBadRowFailsTheWholeBatchAndWritesNothing() throws Exception {
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (ts, value, host) VALUES (?, ?, ?)")) {
            for (int i = 0; i < 100; i++) {
                ps.setTimestamp(1, i == 57 ? null : Timestamp.from(T0.plusSeconds(i)));
                ps.setDouble(2, i);
                ps.setString(3, "a");
                ps.addBatch();
            }
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .hasMessageContaining("row 58").hasMessageContaining("ts is NULL")
                    .satisfies(e -> assertThat(((BatchUpdateException) e).getUpdateCounts()).hasSize(100).containsOnly(Statement.EXECUTE_FAILED));
            ps.setTimestamp(1, Timestamp.from(T0));
            ps.setString(2, "not a number");
            ps.setString(3, "a");
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class).hasMessageContaining("'not a number' is not a number");
            ps.setTimestamp(1, Timestamp.from(T0));
            ps.setObject(2, null);
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class).hasMessageContaining("value is NULL");
            ps.setDouble(2, 1);
            ps.setString(3, "");
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class).hasMessageContaining("empty value for tag 'host'");
        }
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO \"9lives\" (ts, value) VALUES (?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(T0));
            ps.setDouble(2, 1);
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(BatchUpdateException.class).hasMessageContaining("invalid series name '9lives'");
        }
        assertThat(t.db().series()).isEmpty();
        assertThat(t.db().stats().get("points_written")).isZero();
    }

    @Test
    void singleRowErrorsAreTypedSqlExceptions() {
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (ts, value) VALUES (42, 1)"))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("ts takes a TIMESTAMP").hasMessageContaining("ts_ns");
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (value, host) VALUES (1, 'a')"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("exactly one of ts");
        assertThatThrownBy(() -> t.update("INSERT INTO cpu VALUES (1, 'a')"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("needs a column list");
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (ts, value) VALUES (TIMESTAMP '2026-01-01 00:00:00')"))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (ts, value, ts) VALUES (1, 2, 3)"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("named twice");
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (ts_ns, value) VALUES (1.5, 2)"))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (ts, value) VALUS (1, 2)"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("line 1, column");
    }

    @Test
    void nonUtcDefaultZoneDoesNotShiftStoredInstants() throws Exception {
        // Calcite and Avatica capture the default zone once, when these classes load: load them under the
        // build's zone (UTC), or this test would shift every TIMESTAMP read by the tests that follow it
        Class.forName("org.apache.calcite.runtime.SqlFunctions");
        Class.forName("org.apache.calcite.avatica.util.DateTimeUtils");
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try {
            try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (ts, value, kind) VALUES (?, ?, ?)")) {
                Object[][] rows = {
                        {Timestamp.from(T0), "Timestamp"},
                        {LocalDateTime.ofInstant(T0, ZoneOffset.UTC).plusSeconds(1), "LocalDateTime"},
                        {OffsetDateTime.ofInstant(T0, ZoneOffset.ofHours(5)).plusSeconds(2), "OffsetDateTime"},
                        {T0.plusSeconds(3), "Instant"},
                        {"2026-03-01 12:00:04", "String"},
                };
                for (Object[] r : rows) {
                    ps.setObject(1, r[0]);
                    ps.setDouble(2, 1);
                    ps.setString(3, (String) r[1]);
                    ps.addBatch();
                }
                ps.setTimestamp(1, Timestamp.valueOf("2026-03-01 12:00:05"), java.util.Calendar.getInstance(TimeZone.getTimeZone("UTC")));
                ps.setDouble(2, 1);
                ps.setString(3, "Timestamp+UTC calendar");
                ps.addBatch();
                ps.executeBatch();
            }
            t.update("INSERT INTO cpu (ts, value, kind) VALUES (TIMESTAMP '2026-03-01 12:00:06', 1, 'literal')");
            List<List<Object>> got = t.rows("SELECT kind, ts_ns FROM cpu ORDER BY ts_ns");
            assertThat(got).containsExactly(
                    List.of("Timestamp", T0_NS), List.of("LocalDateTime", T0_NS + 1_000_000_000L),
                    List.of("OffsetDateTime", T0_NS + 2_000_000_000L), List.of("Instant", T0_NS + 3_000_000_000L),
                    List.of("String", T0_NS + 4_000_000_000L), List.of("Timestamp+UTC calendar", T0_NS + 5_000_000_000L),
                    List.of("literal", T0_NS + 6_000_000_000L));
            t.update("INSERT INTO copy (ts, value, kind) SELECT ts, value, kind FROM cpu"); // TIMESTAMP values read back by Calcite
            assertThat(t.rows("SELECT kind, ts_ns FROM copy ORDER BY ts_ns")).isEqualTo(got);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void executeReportsUpdateCountsAsJdbcSays() throws Exception {
        try (Statement s = t.connection().createStatement()) {
            assertThat(s.execute("INSERT INTO cpu (ts_ns, value) VALUES (1, 1), (2, 2)")).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(2);
            assertThat(s.getResultSet()).isNull();
            assertThat(s.getMoreResults()).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(-1);
            assertThat(s.execute("SELECT count(*) FROM cpu")).isTrue();
            try (ResultSet rs = s.getResultSet()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            assertThat(s.executeUpdate("CREATE SERIES mem")).isZero();
            assertThatThrownBy(() -> s.executeQuery("FLUSH")).isInstanceOf(SQLException.class).hasMessageContaining("does not return rows");
            assertThatThrownBy(() -> s.executeUpdate("SHOW SERIES")).isInstanceOf(SQLException.class).hasMessageContaining("returns rows");
        }
    }
}
