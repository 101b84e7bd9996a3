package io.ugnos.sql.ddl;

import io.ugnos.sql.SqlTestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each DDL statement through JDBC: what it changes in the engine, what it returns, and that it survives a reopen. */
class DdlStatementTest {
    private static final long DAY_NS = Duration.ofDays(1).toNanos();
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @Test
    void createSeriesMakesAnEmptyTableAndHonoursIfNotExistsAndRetention() throws Exception {
        assertThat(t.update("create series \"cpu.usage_user\" with (retention = '30d')")).isZero();
        assertThat(t.db().hasSeries("cpu.usage_user")).isTrue();
        assertThat(t.db().seriesTtlNanos("cpu.usage_user")).isEqualTo(30 * DAY_NS);
        assertThat(t.scalar("SELECT count(*) FROM \"cpu.usage_user\"")).isEqualTo(0L);
        assertThatThrownBy(() -> t.update("CREATE SERIES \"cpu.usage_user\""))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("already exists");
        assertThat(t.update("CREATE SERIES IF NOT EXISTS \"cpu.usage_user\"")).isZero();
        assertThat(t.update("CREATE SERIES mem;")).isZero();
        assertThat(t.db().series()).containsExactly("cpu.usage_user", "mem");
    }

    @Test
    void createSeriesRejectsUnknownOptionsAndBadNames() {
        assertThatThrownBy(() -> t.update("CREATE SERIES cpu WITH (ttl = '1d')"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("unknown option 'ttl'").hasMessageContaining("retention");
        assertThatThrownBy(() -> t.update("CREATE SERIES \"9lives\""))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("invalid series name '9lives'");
    }

    @Test
    void dropSeriesRemovesTheTableAndSurvivesReopen() throws Exception {
        t.update("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1, 'a')");
        t.update("INSERT INTO mem (ts, value) VALUES (TIMESTAMP '2026-01-01 00:00:00', 2)");
        assertThat(t.update("DROP SERIES CPU")).isZero(); // unquoted names match case-insensitively
        assertThat(t.db().series()).containsExactly("mem");
        assertThatThrownBy(() -> t.rows("SELECT * FROM cpu")).isInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> t.update("DROP SERIES cpu"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("series cpu does not exist");
        assertThat(t.update("DROP SERIES IF EXISTS cpu")).isZero();
        t.reopen();
        assertThat(t.db().series()).containsExactly("mem");
        t.update("CREATE SERIES cpu");
        assertThat(t.scalar("SELECT count(*) FROM cpu")).isEqualTo(0L);
    }

    @Test
    void alterRetentionOfSeriesAndDatabaseSurvivesReopen() throws Exception {
        t.update("CREATE SERIES cpu");
        t.update("CREATE SERIES mem");
        t.update("ALTER SERIES cpu SET RETENTION '7 days'");
        t.update("ALTER DATABASE SET RETENTION 'P30D'");
        t.update("alter series mem set retention none");
        t.reopen();
        assertThat(t.db().seriesTtlNanos("cpu")).isEqualTo(7 * DAY_NS);
        assertThat(t.db().seriesTtlNanos("mem")).isZero();
        assertThat(t.db().databaseTtlNanos()).isEqualTo(30 * DAY_NS);
        t.update("ALTER SERIES cpu SET RETENTION DEFAULT");
        t.update("ALTER DATABASE SET RETENTION NONE");
        assertThat(t.db().seriesTtlNanos("cpu")).isNull();
        assertThat(t.db().databaseTtlNanos()).isZero();
        assertThatThrownBy(() -> t.update("ALTER SERIES cpu SET RETENTION '3 fortnights'"))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("'3 fortnights'").hasMessageContaining("'30d'");
        assertThatThrownBy(() -> t.update("ALTER SERIES nope SET RETENTION '1d'"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("nope");
    }

    @Test
    void deleteFromSetsTheWatermarkByTimestampOrNanos() throws Exception {
        t.update("INSERT INTO cpu (ts, value) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1), (TIMESTAMP '2026-01-02 00:00:00', 2),"
                + " (TIMESTAMP '2026-01-03 00:00:00', 3)");
        t.update("DELETE FROM cpu WHERE ts < TIMESTAMP '2026-01-02 00:00:00'");
        assertThat(t.rows("SELECT value FROM cpu ORDER BY ts")).containsExactly(List.of(2.0), List.of(3.0));
        long jan3 = Instant.parse("2026-01-03T00:00:00Z").toEpochMilli() * 1_000_000L;
        t.update("DELETE FROM cpu WHERE ts_ns < " + jan3);
        assertThat(t.db().deleteBeforeWatermark("cpu")).isEqualTo(jan3);
        t.reopen();
        assertThat(t.rows("SELECT value FROM cpu")).containsExactly(List.of(3.0));
    }

    @Test
    void deleteWithAnyOtherPredicateSaysWhatIsSupported() {
        for (String sql : List.of("DELETE FROM cpu WHERE host = 'a'", "DELETE FROM cpu WHERE ts > TIMESTAMP '2026-01-01 00:00:00'",
                "DELETE FROM cpu WHERE ts < TIMESTAMP '2026-01-01' AND host = 'a'", "DELETE FROM cpu")) {
            assertThatThrownBy(() -> t.update(sql)).as(sql).isInstanceOf(SQLSyntaxErrorException.class)
                    .hasMessageContaining("WHERE ts < TIMESTAMP").hasMessageContaining("ts_ns <");
        }
        assertThatThrownBy(() -> t.update("DELETE FROM cpu WHERE ts < 'yesterday'"))
                .isInstanceOf(SQLDataException.class).hasMessageContaining("invalid timestamp 'yesterday'");
    }

    @Test
    void flushAndCompactMoveDataToSegments() throws Exception {
        t.update("INSERT INTO cpu (ts, value) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1)");
        assertThat(t.db().segments()).isEmpty();
        assertThat(t.update("FLUSH")).isZero();
        assertThat(t.db().segments()).hasSize(1).allMatch(s -> s.level() == 0);
        assertThat(t.update("COMPACT")).isZero();
        assertThat(t.db().segments()).hasSize(1).allMatch(s -> s.level() == 1);
        assertThat(t.update("COMPACT SERIES cpu")).isZero();
        assertThatThrownBy(() -> t.update("COMPACT SERIES nope")).isInstanceOf(SQLSyntaxErrorException.class);
        assertThat(t.scalar("SELECT count(*) FROM cpu")).isEqualTo(1L);
    }

    @Test
    void showSeriesListsNamesWithMetadata() throws Exception {
        t.update("CREATE SERIES b");
        t.update("CREATE SERIES \"a.x\"");
        try (Statement s = t.connection().createStatement()) {
            assertThat(s.execute("SHOW SERIES")).isTrue();
            assertThat(s.getUpdateCount()).isEqualTo(-1);
            ResultSet rs = s.getResultSet();
            ResultSetMetaData md = rs.getMetaData();
            assertThat(md.getColumnCount()).isEqualTo(1);
            assertThat(md.getColumnLabel(1)).isEqualTo("name");
            assertThat(md.getColumnType(1)).isEqualTo(Types.VARCHAR);
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("name")).isEqualTo("a.x");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("b");
            assertThat(rs.next()).isFalse();
            assertThat(s.getMoreResults()).isFalse();
            assertThat(s.getUpdateCount()).isEqualTo(-1);
        }
    }

    @Test
    void showRetentionListsDatabaseAndSeries() throws Exception {
        t.update("CREATE SERIES cpu WITH (retention = '12h')");
        t.update("CREATE SERIES mem");
        t.update("ALTER DATABASE SET RETENTION '2w'");
        t.update("DELETE FROM mem WHERE ts_ns < 5");
        assertThat(t.rows("SHOW RETENTION")).containsExactly(
                java.util.Arrays.asList(null, "2w", 14 * DAY_NS, null),
                java.util.Arrays.asList("cpu", "12h", Duration.ofHours(12).toNanos(), null),
                java.util.Arrays.asList("mem", "default (2w)", 14 * DAY_NS, 5L));
    }

    @Test
    void showStatsGivesEngineCountersAsRows() throws Exception {
        t.update("INSERT INTO cpu (ts, value) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1), (TIMESTAMP '2026-01-01 00:00:01', 2)");
        List<List<Object>> rows = t.rows("show stats");
        assertThat(rows).contains(List.of("points_written", 2L), List.of("batches_written", 1L));
        assertThat(rows).hasSize(t.db().stats().snapshot().size());
    }

    @Test
    void syntaxErrorsNameLineColumnAndExpectedToken() {
        assertThatThrownBy(() -> t.update("CREATE TABLE cpu"))
                .isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessage("syntax error at line 1, column 8: found 'TABLE', expected SERIES");
        assertThatThrownBy(() -> t.update("ALTER SERIES cpu\n  SET RETENTON '1d'"))
                .isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessage("syntax error at line 2, column 7: found 'RETENTON', expected RETENTION");
        assertThatThrownBy(() -> t.update("DROP SERIES"))
                .isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessageContaining("line 1, column 12: found the end of the statement, expected IF or a name");
        assertThatThrownBy(() -> t.update("SHOW SERIES extra"))
                .isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessageContaining("column 13: found 'extra', expected ';' or the end of the statement");
        assertThatThrownBy(() -> t.update("ALTER DATABASE SET RETENTION 30"))
                .isInstanceOf(SQLSyntaxErrorException.class)
                .hasMessageContaining("expected DEFAULT or NONE or a quoted string");
        assertThatThrownBy(() -> t.update("FLUSH @"))
                .isInstanceOf(SQLSyntaxErrorException.class).hasMessageContaining("column 7: found '@'");
    }

    @Test
    void keywordsMayNameSeries() throws Exception {
        t.update("CREATE SERIES stats");
        t.update("CREATE SERIES \"series\"");
        assertThat(t.db().series()).containsExactly("series", "stats");
    }
}
