package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Series {@code m.a}, {@code m.b}, {@code m.c} seen as the wide table {@code m}: the same rows as
 * DuckDB's wide table built from the same points (a row per tag set and timestamp where any field
 * has a point), for generated filters and aggregates.
 */
class FamilyTableTest {
    private static final long START_MS = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final String[] HOSTS = {"h1", "h2", "h3", "h4"};
    private static Path dir;
    private static Database db;
    private static Connection ugnos;
    private static Connection duck;

    @BeforeAll
    static void load() throws Exception {
        dir = Files.createTempDirectory("ugnos-family");
        db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(50));
        duck = DriverManager.getConnection("jdbc:duckdb:");
        Random rnd = new Random(11);
        // (host|region|ms) -> values per field, the last write winning
        TreeMap<String, Double[]> rows = new TreeMap<>();
        for (int batch = 0; batch < 10; batch++) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 300; i++) {
                String host = rnd.nextInt(8) == 0 ? null : HOSTS[rnd.nextInt(HOSTS.length)];
                String region = rnd.nextInt(3) == 0 ? null : (rnd.nextBoolean() ? "eu" : "us");
                long ms = START_MS + rnd.nextInt(2_000) * 10_000L;
                int f = rnd.nextInt(FIELDS.length);
                double v = rnd.nextInt(100);
                TreeMap<String, String> tags = new TreeMap<>();
                if (host != null) {
                    tags.put("host", host);
                }
                if (region != null) {
                    tags.put("region", region);
                }
                b.add("m." + FIELDS[f], TagSet.of(tags), ms * 1_000_000L, v);
                rows.computeIfAbsent(host + "|" + region + "|" + ms, k -> new Double[FIELDS.length])[f] = v;
            }
            db.write(b);
            if (batch % 4 == 3) {
                db.compact(false);
            }
        }
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE m (ts TIMESTAMP, a DOUBLE, b DOUBLE, c DOUBLE, host VARCHAR, region VARCHAR, ts_ns BIGINT)");
        }
        try (PreparedStatement ps = duck.prepareStatement("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (var e : rows.entrySet()) {
                String[] k = e.getKey().split("\\|");
                long ms = Long.parseLong(k[2]);
                ps.setObject(1, LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC));
                for (int f = 0; f < FIELDS.length; f++) {
                    ps.setObject(2 + f, e.getValue()[f]);
                }
                ps.setString(5, k[0].equals("null") ? null : k[0]);
                ps.setString(6, k[1].equals("null") ? null : k[1]);
                ps.setLong(7, ms * 1_000_000L);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        ugnos = UgnosSql.connect(db);
    }

    @AfterAll
    static void close() throws Exception {
        ugnos.close();
        duck.close();
        db.close();
        SqlTestDb.deleteRecursively(dir);
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 1; i <= n; i++) {
                    Object o = rs.getObject(i);
                    if (o instanceof java.sql.Timestamp t) {
                        o = t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
                    } else if (o instanceof LocalDateTime t) {
                        o = t.toInstant(ZoneOffset.UTC).toEpochMilli();
                    } else if (o instanceof Number num && !(o instanceof Double)) {
                        o = num.longValue();
                    } else if (o instanceof Double d) {
                        o = Math.round(d * 1e6) / 1e6; // averages: the engines add in different orders
                    }
                    row[i - 1] = o;
                }
                out.add(Arrays.toString(row));
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String ts(long ms) {
        return "TIMESTAMP '" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC)) + "'";
    }

    private static String where(Random r) {
        List<String> t = new ArrayList<>();
        if (r.nextBoolean()) {
            long a = START_MS + r.nextInt(20_000) * 1_000L;
            t.add("ts >= " + ts(a) + " AND ts < " + ts(a + r.nextInt(10_000) * 1_000L));
        }
        switch (r.nextInt(5)) {
            case 0 -> t.add("host = '" + HOSTS[r.nextInt(HOSTS.length)] + "'");
            case 1 -> t.add("region IS NULL");
            case 2 -> t.add("host IN ('h1', 'h3')");
            default -> {
            }
        }
        if (r.nextInt(3) == 0) {
            t.add(FIELDS[r.nextInt(FIELDS.length)] + " > " + r.nextInt(100));
        }
        if (r.nextInt(4) == 0) {
            t.add(FIELDS[r.nextInt(FIELDS.length)] + " IS NULL");
        }
        return t.isEmpty() ? "" : " WHERE " + String.join(" AND ", t);
    }

    @Test
    void theWideTableHasTheRowsDuckDbHas() throws SQLException {
        assertThat(rows(ugnos, "SELECT COUNT(*) FROM m")).isEqualTo(rows(duck, "SELECT COUNT(*) FROM m"));
        Random r = new Random(5);
        int nonEmpty = 0;
        for (int q = 0; q < 120; q++) {
            String sql = switch (r.nextInt(4)) {
                case 0 -> "SELECT * FROM m" + where(r);
                case 1 -> "SELECT ts, host, " + FIELDS[r.nextInt(3)] + " FROM m" + where(r);
                case 2 -> "SELECT host, COUNT(*), COUNT(a), MAX(b), AVG(c) FROM m" + where(r) + " GROUP BY host";
                default -> "SELECT ts_ns, a, b, c FROM m" + where(r) + " ORDER BY ts_ns DESC LIMIT 7";
            };
            if (sql.contains("LIMIT")) {
                sql = sql.replace("SELECT ts_ns, a, b, c", "SELECT ts_ns"); // ties on ts_ns: compare the keys only
            }
            List<String> want = rows(duck, sql);
            List<String> got = rows(ugnos, sql);
            nonEmpty += want.isEmpty() ? 0 : 1;
            assertThat(got).as("%s%nugnos %s%nDuckDB %s", sql, got.size() > 10 ? got.subList(0, 10) : got,
                    want.size() > 10 ? want.subList(0, 10) : want).isEqualTo(want);
        }
        assertThat(nonEmpty).isGreaterThan(80);
        assertThat(Objects.requireNonNull(rows(ugnos, "SELECT * FROM m LIMIT 1")).get(0)).contains(",");
    }

    /**
     * Calcite operators above the family scan read its rows in Calcite's LIST format (see
     * FamilyRow) and keep some of them (a sort, a join's build side, a window, DISTINCT): each must
     * see every row with its own values, as DuckDB does. Each query's plan is checked to hold the
     * family scan under such an operator, so that the test keeps testing that path.
     */
    @Test
    void operatorsAboveTheScanSeeTheRowsDuckDbSees() throws SQLException {
        List<String> queries = List.of(
                "SELECT host, a + b AS s, CASE WHEN c > 50 THEN 'hi' ELSE 'lo' END AS k, ts FROM m WHERE a > 10",
                "SELECT ts, host, region, a FROM m WHERE a > 20 ORDER BY a DESC, ts, host, region LIMIT 50",
                "SELECT ts, host, region, a, b FROM m WHERE a > 40 ORDER BY b, ts DESC, host NULLS FIRST, region NULLS FIRST",
                "SELECT x.ts, x.host, x.region, x.a, y.b FROM m x JOIN m y ON x.ts = y.ts AND x.host = y.host AND x.region = y.region"
                        + " WHERE x.a > 50 AND y.b > 50",
                "SELECT COUNT(*) AS n, SUM(x.a - y.b) AS d FROM m x JOIN m y ON x.a > y.b WHERE x.a > 95 AND y.b > 95",
                "SELECT DISTINCT host, region FROM m WHERE a > 30",
                "SELECT host, region, a, ROW_NUMBER() OVER (PARTITION BY host, region ORDER BY ts) AS rn FROM m WHERE a > 90",
                "SELECT ts_ns, host FROM m WHERE a > 50 UNION ALL SELECT ts_ns, host FROM m WHERE b > 50",
                "SELECT host, COUNT(*) AS n, MAX(c) AS mx FROM m WHERE a > b GROUP BY host",
                "SELECT a FROM m WHERE a > 90 ORDER BY a",
                "SELECT ts, region FROM m WHERE host IN (SELECT host FROM m WHERE c > 97) AND a > 80");
        for (String sql : queries) {
            String plan = SqlTestDb.explain(ugnos, sql);
            assertThat(plan).as(sql).contains("FamilyScan");
            assertThat(plan.lines().filter(l -> !l.contains("FamilyScan")).count()).as(plan).isGreaterThan(0);
            List<String> want = rows(duck, sql);
            assertThat(want).as(sql).isNotEmpty();
            assertThat(rows(ugnos, sql)).as("%s%n%s", sql, plan).isEqualTo(want);
        }
    }

    @Test
    void tagAndTimeFiltersReachEverySeriesScan() throws SQLException {
        long before = db.stats().get("blocks_decoded");
        rows(ugnos, "SELECT * FROM m WHERE host = 'h2' AND ts >= " + ts(START_MS) + " AND ts < " + ts(START_MS + 60_000));
        long oneMinuteOneHost = db.stats().get("blocks_decoded") - before;
        before = db.stats().get("blocks_decoded");
        rows(ugnos, "SELECT * FROM m");
        long all = db.stats().get("blocks_decoded") - before;
        assertThat(oneMinuteOneHost).isLessThan(all / 4);
    }
}
