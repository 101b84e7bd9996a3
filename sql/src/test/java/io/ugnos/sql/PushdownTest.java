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
import java.util.ArrayList;
import java.util.List;

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
        SqlTestDb.deleteRecursively(dir);
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
        assertThat(explain(sql)).startsWith("UgnosQuery(series=[cpu.usage_user]")
                .contains("tags=[hostname = 'host_7']").contains("time=[[2026-01-02T01:00:00Z, 2026-01-02T01:59:59.")
                .contains("columns=[[ts, value]]").doesNotContain("Enumerable");
        // one host's hour lies in one block of 1,024 points (2.8 hours)
        assertThat(decodedBy(sql)).isBetween(1L, 2L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ts > TIMESTAMP '2026-01-01 10:00:00'",
            "ts >= TIMESTAMP '2026-01-01 10:00:00'",
            "ts < TIMESTAMP '2026-01-01 10:00:00'",
            "ts <= TIMESTAMP '2026-01-01 10:00:00'",
            "ts = TIMESTAMP '2026-01-01 10:00:00'",
            "ts BETWEEN TIMESTAMP '2026-01-01 10:00:00' AND TIMESTAMP '2026-01-01 11:00:00'",
            "ts >= ?",
            "ts < CURRENT_TIMESTAMP - INTERVAL '1' HOUR",
            "ts >= NOW() - INTERVAL '1' HOUR",
            "ts >= now() - interval '90 minutes'",
            "ts_ns > 5",
            "hostname = 'host_1'",
            "hostname <> 'host_1'",
            "hostname IN ('host_1', 'host_2')",
            "hostname NOT IN ('host_1', 'host_2')",
            "region IS NULL",
            "region IS NOT NULL",
            "hostname LIKE 'host%'",
            "hostname LIKE 'host_1%'",
            "hostname NOT LIKE '%!_1_' ESCAPE '!'",
            "hostname LIKE ?",
            "hostname ILIKE 'HOST_1%'",
            "hostname NOT ILIKE 'Host%'",
            "hostname = ?",
            "(hostname = 'host_1' OR region = 'eu') AND NOT (hostname = 'host_3')",
    })
    void everyPredicateFormIsPushed(String predicate) throws SQLException {
        String plan = explain("SELECT ts, \"value\" FROM \"cpu.usage_user\" WHERE " + predicate);
        assertThat(plan).startsWith("UgnosQuery(series=[cpu.usage_user], filter=[").doesNotContain("Enumerable");
    }

    @Test
    void parametersArePushedAtExecution() throws SQLException {
        String sql = "SELECT ts FROM \"cpu.usage_user\" WHERE hostname = ? AND ts >= ? AND ts < ?";
        long decoded = decodedBy(sql, "host_3", new Timestamp(T0 + DAY_MS + 3_600_000), new Timestamp(T0 + DAY_MS + 7_200_000));
        assertThat(decoded).isBetween(1L, 2L);
    }

    @Test
    void tagPredicatesPruneTagSets() throws SQLException {
        long all = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\"");
        long eu = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE region = 'eu'");
        long two = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname IN ('host_1', 'host_2')");
        long prefix = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname LIKE 'host!_1%' ESCAPE '!'"); // host_1, host_10..19
        assertThat(all).isGreaterThan(20);
        assertThat(eu * 2).isEqualTo(all);
        assertThat(two * 10).isEqualTo(all);
        assertThat(prefix * 20).isEqualTo(all * 11);
    }

    @Test
    void likePatternsWithWildcardsInsideArePushed() throws SQLException {
        long all = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\"");
        long endsIn1 = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname LIKE '%1'"); // host_1, host_11
        long twoDigits = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname LIKE ? ESCAPE '!'", "host!___"); // host_10..19
        long notTwoDigits = decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname NOT LIKE 'host!___' ESCAPE '!'");
        assertThat(endsIn1 * 10).isEqualTo(all);
        assertThat(twoDigits * 2).isEqualTo(all);
        assertThat(notTwoDigits * 2).isEqualTo(all);
        assertThat(decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname ILIKE 'HOST!_1_' ESCAPE '!'") * 2).isEqualTo(all);
        assertThat(decodedBy("SELECT \"value\" FROM \"cpu.usage_user\" WHERE hostname LIKE 'HOST%'")).isZero();
        assertThat(rows("SELECT COUNT(DISTINCT hostname) FROM \"cpu.usage_user\" WHERE hostname NOT ILIKE 'HOST%'")).containsExactly(List.of(0L));
        assertThat(rows("SELECT DISTINCT hostname FROM \"cpu.usage_user\" WHERE hostname LIKE ? ORDER BY hostname", "%_1"))
                .containsExactly(List.of("host_1"), List.of("host_11"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "date_trunc('minute', ts)|bucket(PT1M)",
            "DATE_TRUNC('Hours', ts)|bucket(PT1H)",
            "date_trunc('day', ts)|bucket(PT24H)",
            "date_trunc('week', ts)|bucket(PT168H, origin 2000-01-03T00:00:00Z)",
    })
    void postgresDateTruncIsPushedAsABucket(String bucket, String pushed) throws SQLException {
        String plan = explain("SELECT " + bucket + " AS b, MAX(\"value\") FROM \"cpu.usage_user\" WHERE hostname = 'host_1' GROUP BY 1");
        assertThat(plan).startsWith("UgnosQuery(series=[cpu.usage_user]").contains("group=[[" + pushed + "]]").doesNotContain("Enumerable");
    }

    @Test
    void dateTruncIsFloorToItsUnit() throws SQLException {
        String t = " FROM \"cpu.usage_user\" WHERE hostname = 'host_2' ORDER BY ts";
        assertThat(rows("SELECT date_trunc('month', ts), date_trunc('Quarters', ts), date_trunc('year', ts),"
                + " date_trunc('microsecond', ts), date_trunc('second', ts)" + t))
                .isEqualTo(rows("SELECT FLOOR(ts TO MONTH), FLOOR(ts TO QUARTER), FLOOR(ts TO YEAR), ts, FLOOR(ts TO SECOND)" + t))
                .isNotEmpty();
    }

    @Test
    void dateTruncNeedsAKnownLiteralUnit() {
        assertThatThrownBy(() -> rows("SELECT date_trunc('fortnight', ts) FROM \"cpu.usage_user\""))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("line 1, column 19")
                .hasMessageContaining("unknown DATE_TRUNC unit 'fortnight'; use microsecond, millisecond, second");
        assertThatThrownBy(() -> rows("SELECT date_trunc(hostname, ts) FROM \"cpu.usage_user\""))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("the unit of DATE_TRUNC must be a string literal such as 'hour'");
    }

    @Test
    void likeWithNullOrInvalidParameters() throws SQLException {
        assertThat(rows("SELECT hostname FROM \"cpu.usage_user\" WHERE hostname LIKE ?", (Object) null)).isEmpty();
        assertThat(rows("SELECT hostname FROM \"cpu.usage_user\" WHERE NOT (hostname LIKE ?)", (Object) null)).isEmpty();
        assertThatThrownBy(() -> rows("SELECT hostname FROM \"cpu.usage_user\" WHERE hostname LIKE ? ESCAPE '!'", "host!"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("invalid escape sequence in LIKE pattern 'host!' at position 5");
    }

    private static long fromHeaders(String sql) throws SQLException {
        long before = db.stats().get("blocks_from_headers");
        decodedBy(sql);
        return db.stats().get("blocks_from_headers") - before;
    }

    private static List<List<Object>> rows(String sql, Object... params) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object o = rs.getObject(i);
                        row.add(o instanceof Timestamp t ? t.toInstant().toString() : o);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** The value written at offset {@code t} ms from T0 (every host alike). */
    private static double valueAt(long t) {
        return (t / 10_000) % 100;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "FLOOR(ts TO MINUTE)|bucket(PT1M)",
            "time_bucket(INTERVAL '1' MINUTE, ts)|bucket(PT1M, origin 2000-01-03T00:00:00Z)",
            "time_bucket(INTERVAL '60' SECOND, ts, TIMESTAMP '2026-01-01 00:00:00')|bucket(PT1M, origin 2026-01-01T00:00:00Z)",
    })
    void bucketedAggregateIsOneEngineRequest(String bucket, String shown) throws SQLException {
        String sql = "SELECT " + bucket + " AS m, MAX(\"value\"), COUNT(*), first(\"value\", ts), last(\"value\", ts) FROM \"cpu.usage_user\""
                + " WHERE hostname = 'host_7' AND ts >= TIMESTAMP '2026-01-02 01:00:00' AND ts < TIMESTAMP '2026-01-02 02:00:00'"
                + " GROUP BY " + bucket;
        assertThat(explain(sql)).startsWith("UgnosQuery(series=[cpu.usage_user]").contains("group=[[" + shown + "]]")
                .contains("aggregate=[[MAX(value), COUNT(*), first(value, ts), last(value, ts)]]").doesNotContain("Aggregate(");
        List<List<Object>> got = rows(sql);
        assertThat(got).hasSize(60);
        long hour = DAY_MS + 3_600_000;
        for (int m = 0; m < 60; m++) {
            long from = hour + m * 60_000L;
            double max = Double.NEGATIVE_INFINITY;
            for (long t = from; t < from + 60_000; t += 10_000) {
                max = Math.max(max, valueAt(t));
            }
            assertThat(got.get(m)).containsExactly(Instant.ofEpochMilli(T0 + from).toString(), max, 6L,
                    valueAt(from), valueAt(from + 50_000));
        }
        assertThat(decodedBy(sql)).isBetween(1L, 2L);
    }

    @Test
    void wholeBlocksAreAnsweredFromTheirHeaders() throws SQLException {
        String sql = "SELECT region, COUNT(*), SUM(\"value\"), MIN(\"value\"), MAX(\"value\") FROM \"cpu.usage_user\" GROUP BY region";
        assertThat(decodedBy(sql)).isZero();
        assertThat(fromHeaders(sql)).isGreaterThan(20);
        List<List<Object>> got = rows(sql + " ORDER BY region");
        double sum = 0;
        for (long t = 0; t < 2 * DAY_MS; t += 10_000) {
            sum += valueAt(t);
        }
        assertThat(got).containsExactly(List.of("eu", 10 * 17_280L, 10 * sum, 0.0, 99.0),
                List.of("us", 10 * 17_280L, 10 * sum, 0.0, 99.0));
    }

    @Test
    void lastPointPerHostComesFromBlockHeaders() throws SQLException {
        String sql = "SELECT hostname, MAX(ts), MIN(ts_ns), last(\"value\", ts) FROM \"cpu.usage_user\" GROUP BY hostname";
        assertThat(explain(sql)).startsWith("UgnosQuery(").contains("aggregate=[[MAX(ts), MIN(ts_ns), last(value, ts)]]");
        long last = 2 * DAY_MS - 10_000;
        assertThat(rows(sql + " ORDER BY hostname")).hasSize(20).allSatisfy(r -> assertThat(r.subList(1, 4))
                .containsExactly(Instant.ofEpochMilli(T0 + last).toString(), T0 * 1_000_000L, valueAt(last)));
        assertThat(decodedBy(sql)).isZero();
    }

    @Test
    void aggregateOverNoRowsIsOneRow() throws SQLException {
        assertThat(rows("SELECT COUNT(*), SUM(\"value\"), last(\"value\", ts) FROM \"cpu.usage_user\" WHERE hostname = 'nope'"))
                .containsExactly(java.util.Arrays.asList(0L, null, null));
        assertThat(rows("SELECT hostname, COUNT(*) FROM \"cpu.usage_user\" WHERE hostname = 'nope' GROUP BY hostname")).isEmpty();
    }

    @Test
    void latestPointsReadOnlyTheLastBlocks() throws SQLException {
        String sql = "SELECT ts, \"value\" FROM \"cpu.usage_user\" WHERE hostname = ? ORDER BY ts DESC LIMIT ?";
        assertThat(explain(sql.replace("?", "'host_3'").replace("LIMIT 'host_3'", "LIMIT 3"))).startsWith("UgnosQuery(")
                .contains("order=[ts DESC LIMIT 3]").doesNotContain("Sort");
        long last = 2 * DAY_MS - 10_000;
        assertThat(rows(sql, "host_3", 3)).containsExactly(
                List.of(Instant.ofEpochMilli(T0 + last).toString(), valueAt(last)),
                List.of(Instant.ofEpochMilli(T0 + last - 10_000).toString(), valueAt(last - 10_000)),
                List.of(Instant.ofEpochMilli(T0 + last - 20_000).toString(), valueAt(last - 20_000)));
        assertThat(decodedBy(sql, "host_3", 3)).isBetween(1L, 2L);
        // ascending, with an offset, across all hosts: the earliest tick has 20 points
        assertThat(rows("SELECT ts FROM \"cpu.usage_user\" ORDER BY ts LIMIT 5 OFFSET 18")).extracting(r -> r.get(0))
                .containsExactly(Instant.ofEpochMilli(T0).toString(), Instant.ofEpochMilli(T0).toString(),
                        Instant.ofEpochMilli(T0 + 10_000).toString(), Instant.ofEpochMilli(T0 + 10_000).toString(),
                        Instant.ofEpochMilli(T0 + 10_000).toString());
    }

    @Test
    void latestBucketsAggregateOnlyTheLastBlocks() throws SQLException {
        String sql = "SELECT FLOOR(ts TO MINUTE) AS m, MAX(\"value\") FROM \"cpu.usage_user\""
                + " WHERE ts < TIMESTAMP '2026-01-02 12:00:00' GROUP BY FLOOR(ts TO MINUTE) ORDER BY m DESC LIMIT 5";
        assertThat(explain(sql)).startsWith("UgnosQuery(").contains("order=[bucket DESC LIMIT 5]").doesNotContain("Sort");
        List<List<Object>> got = rows(sql);
        assertThat(got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            long from = DAY_MS + 12 * 3_600_000L - (i + 1) * 60_000L;
            double max = 0;
            for (long t = from; t < from + 60_000; t += 10_000) {
                max = Math.max(max, valueAt(t));
            }
            assertThat(got.get(i)).containsExactly(Instant.ofEpochMilli(T0 + from).toString(), max);
        }
        // 20 hosts: the window holds a block or two of each, not the 20 × 17 blocks before it
        assertThat(decodedBy(sql)).isBetween(20L, 60L);
    }

    @Test
    void whatCannotBePushedStaysInCalciteAndIsCorrect() throws SQLException {
        String having = "SELECT hostname, MAX(\"value\") AS mx FROM \"cpu.usage_user\" WHERE ts < TIMESTAMP '2026-01-01 00:05:00'"
                + " GROUP BY hostname HAVING COUNT(*) > 29 ORDER BY hostname";
        assertThat(explain(having)).contains("UgnosQuery(").contains("aggregate=").contains("$condition");
        assertThat(rows(having)).hasSize(20).allSatisfy(r -> assertThat(r.get(1)).isEqualTo(29.0));
        String expr = "SELECT SUM(\"value\" * 2) FROM \"cpu.usage_user\" WHERE hostname = 'host_1' AND ts < TIMESTAMP '2026-01-01 00:01:00'";
        assertThat(explain(expr)).contains("EnumerableAggregate").contains("UgnosQuery(");
        assertThat(rows(expr)).containsExactly(List.of(2.0 * (0 + 1 + 2 + 3 + 4 + 5)));
    }

    @Test
    void repeatedSqlIsPlannedOnce() throws SQLException {
        db.write(new WriteBatch().add("plan.cache", TagSet.of("hostname", "host_2"), 1, 59.0));
        String sql = "SELECT MAX(\"value\") FROM \"plan.cache\" WHERE hostname = 'host_2'";
        UgnosSql.PlanStats before = UgnosSql.planStats(c);
        for (int i = 0; i < 5; i++) {
            assertThat(rows(sql)).containsExactly(List.of(59.0));
        }
        UgnosSql.PlanStats after = UgnosSql.planStats(c);
        assertThat(after.cacheMisses() - before.cacheMisses()).isEqualTo(1);
        assertThat(after.cacheHits() - before.cacheHits()).isEqualTo(4);
        // a new tag key changes the columns: the plan is made again
        db.write(new WriteBatch().add("plan.cache", TagSet.of("hostname", "host_2", "rack", "r1"), 2, 1.0));
        assertThat(rows(sql)).containsExactly(List.of(59.0));
        assertThat(UgnosSql.planStats(c).cacheMisses() - after.cacheMisses()).isEqualTo(1);
    }

    @Test
    void singleSeriesQueriesTakeTheFastPathAndJoinsDoNot() throws SQLException {
        UgnosSql.PlanStats before = UgnosSql.planStats(c);
        String simple = "SELECT FLOOR(ts TO MINUTE) AS m, MAX(\"value\") FROM \"cpu.usage_user\" WHERE hostname = 'host_3'"
                + " AND 1 = 1 AND ts < TIMESTAMP '2026-01-01 00:03:00' GROUP BY FLOOR(ts TO MINUTE) ORDER BY m";
        assertThat(rows(simple)).hasSize(3);
        UgnosSql.PlanStats after = UgnosSql.planStats(c);
        assertThat(after.fastPlans() - before.fastPlans()).isEqualTo(1);
        String join = "SELECT COUNT(*) FROM \"cpu.usage_user\" a JOIN \"cpu.usage_user\" b ON a.ts = b.ts AND a.hostname = b.hostname"
                + " WHERE a.hostname = 'host_3' AND a.ts < TIMESTAMP '2026-01-01 00:01:00'";
        assertThat(rows(join)).containsExactly(List.of(6L));
        assertThat(UgnosSql.planStats(c).fastPlans()).isEqualTo(after.fastPlans());
    }

    @Test
    void selectStarWithoutWhereIsOneScan() throws SQLException {
        assertThat(explain("SELECT * FROM \"cpu.usage_user\"")).startsWith("UgnosQuery(series=[cpu.usage_user], columns=[[ts, value, hostname, region, ts_ns]])");
        assertThat(rows("SELECT * FROM \"cpu.usage_user\" WHERE hostname = 'host_0' ORDER BY ts LIMIT 1"))
                .containsExactly(List.of(Instant.ofEpochMilli(T0).toString(), 0.0, "host_0", "eu", T0 * 1_000_000L));
    }

    @Test
    void cancelStopsALongScan() throws SQLException {
        try (java.sql.Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT ts, \"value\", hostname FROM \"cpu.usage_user\"")) {
            assertThat(rs.next()).isTrue();
            st.cancel();
            assertThatThrownBy(() -> {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }).isInstanceOf(SQLException.class).hasMessageContaining("anceled");
        }
    }

    @Test
    void queryTimeoutStopsALongScan() throws Exception {
        try (java.sql.Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            try (ResultSet rs = st.executeQuery("SELECT ts, \"value\", hostname FROM \"cpu.usage_user\"")) {
                assertThat(rs.next()).isTrue();
                Thread.sleep(1_100); // a slow consumer: the deadline passes while the scan is open
                assertThatThrownBy(() -> {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }).hasStackTraceContaining("longer than its timeout of 1 s");
            }
        }
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

    @Test
    void preparingABadStatementSaysWhereAndWhatInItsMessage() {
        assertThatThrownBy(() -> c.prepareStatement("SELECT * FROM nope"))
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class)
                .hasMessageContaining("From line 1, column 15 to line 1, column 18: Object 'nope' not found")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42000"));
        assertThatThrownBy(() -> c.prepareStatement("SELECT ts FROM \"cpu.usage_user\" WHERE"))
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class)
                .hasMessageContaining("parse failed: Incorrect syntax near the keyword 'WHERE' at line 1, column 33");
    }
}
