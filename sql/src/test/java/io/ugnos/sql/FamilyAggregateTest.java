package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Aggregates over the family table {@code m} (series {@code m.a}, {@code m.b}, {@code m.c}) that the
 * planner hands to the engine as one aggregate per field ({@code FamilyAggregate}) give exactly the
 * rows Calcite computes over the family's aligned rows: the same SQL over {@code (SELECT * FROM m
 * LIMIT n)}, which no rule can push. The data has fields missing from most rows, NaN, rewritten
 * points, tag sets lacking a tag, points in memory, in small blocks and in compacted segments.
 */
class FamilyAggregateTest {
    private static final long START_MS = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final String[] HOSTS = {"h1", "h2", "h3", "h4"};
    private static Path dir;
    private static Database db;
    private static Connection ugnos;

    @BeforeContainer
    static void load() throws Exception {
        dir = Files.createTempDirectory("ugnos-family-agg");
        db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(50));
        Random rnd = new Random(23);
        for (int batch = 0; batch < 12; batch++) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 400; i++) {
                int hostIndex = rnd.nextInt(HOSTS.length + 1); // the last: no host tag
                int regionIndex = rnd.nextInt(3); // 0: no region tag
                TreeMap<String, String> tags = new TreeMap<>();
                if (hostIndex < HOSTS.length) {
                    tags.put("host", HOSTS[hostIndex]);
                }
                if (regionIndex > 0) {
                    tags.put("region", regionIndex == 1 ? "eu" : "us");
                }
                // a millisecond offset per tag set: no two tag sets share a timestamp, so first/last
                // have one answer even when a group holds several tag sets
                long ms = START_MS + rnd.nextInt(3_000) * 10_000L + hostIndex * 3 + regionIndex;
                String field = FIELDS[rnd.nextInt(FIELDS.length)];
                // NaN in a only: Calcite's own MIN/MAX skip NaN (and give Double.MAX_VALUE over NaN
                // alone), the engine orders NaN above all values as SQL databases do; MIN/MAX of a
                // are checked against the series table instead
                double v = field.equals("a") && rnd.nextInt(20) == 0 ? Double.NaN : rnd.nextInt(100) - 20;
                if (field.equals("c") && hostIndex == 1) {
                    continue; // h2 never has c: its groups get NULL for c's aggregates
                }
                b.add("m." + field, TagSet.of(tags), ms * 1_000_000L, v);
            }
            db.write(b);
            if (batch % 4 == 3) {
                db.compact(false);
            } else if (batch % 4 == 1) {
                db.flush();
            }
        }
        ugnos = UgnosSql.connect(db);
    }

    @AfterContainer
    static void close() throws Exception {
        ugnos.close();
        db.close();
        SqlTestDb.deleteRecursively(dir);
    }

    // ------------------------------------------------------------------ generated queries

    @Property(tries = 150)
    void pushedFamilyAggregatesEqualCalcitesOverAlignedRows(@ForAll("queries") Query q) throws SQLException {
        String pushed = q.sql("m");
        assertThat(explain(pushed)).as(pushed).contains("FamilyAggregate");
        List<String> want = rows(q.sql("(SELECT * FROM m LIMIT 1000000000) AS m"));
        List<String> got = rows(pushed);
        assertThat(got).as("%s%nonly ugnos %s%nonly Calcite %s", pushed, head(minus(got, want)), head(minus(want, got))).isEqualTo(want);
    }

    /** One generated query: a select list, a WHERE and a GROUP BY (each possibly empty). */
    record Query(String bucket, List<String> tags, List<String> aggregates, String where) {
        String sql(String from) {
            List<String> select = new ArrayList<>();
            List<String> group = new ArrayList<>();
            if (bucket != null) {
                select.add(bucket + " AS bkt");
                group.add(bucket);
            }
            select.addAll(tags);
            group.addAll(tags);
            select.addAll(aggregates);
            return "SELECT " + String.join(", ", select) + " FROM " + from + (where.isEmpty() ? "" : " WHERE " + where)
                    + (group.isEmpty() ? "" : " GROUP BY " + String.join(", ", group));
        }
    }

    @Provide
    Arbitrary<Query> queries() {
        Arbitrary<String> bucket = Arbitraries.of("", "FLOOR(ts TO MINUTE)", "FLOOR(ts TO HOUR)", "FLOOR(ts TO SECOND)",
                "time_bucket(INTERVAL '5' MINUTE, ts)", "time_bucket(INTERVAL '7' MINUTE, ts, TIMESTAMP '2026-05-01 00:03:00')",
                "ts", "ts_ns");
        Arbitrary<List<String>> tags = Arbitraries.of(List.<String>of(), List.of("host"), List.of("region"), List.of("host", "region"),
                List.of("region", "host"));
        Arbitrary<List<String>> aggs = Arbitraries.of("COUNT(a)", "COUNT(c)", "SUM(a)", "SUM(c)", "MIN(b)", "MAX(c)", "MIN(c)",
                "AVG(b)", "AVG(c)", "first(a, ts)", "last(c, ts)", "last(b, ts)", "MIN(ts)", "MAX(ts)", "MAX(ts_ns)")
                .list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<String> time = Combinators.combine(Arbitraries.integers().between(-100, 30_000), Arbitraries.integers().between(1, 40_000))
                .as((from, len) -> "ts >= " + ts(START_MS + from * 1_000L) + " AND ts < " + ts(START_MS + (from + len) * 1_000L));
        Arbitrary<String> tag = Arbitraries.of("host = 'h1'", "host IN ('h2', 'h3')", "region IS NULL", "region = 'eu'", "host <> 'h4'");
        Arbitrary<String> where = Combinators.combine(time.injectNull(0.5), tag.injectNull(0.5)).as((t, g) -> {
            List<String> c = new ArrayList<>();
            if (t != null) {
                c.add(t);
            }
            if (g != null) {
                c.add(g);
            }
            return String.join(" AND ", c);
        });
        return Combinators.combine(bucket, tags, aggs, where).as((b, t, a, w) -> new Query(b.isEmpty() ? null : b, t, a, w));
    }

    // ------------------------------------------------------------------ examples

    @Example
    void aFieldWithoutPointsInAGroupGivesNullAndACountOfZero() throws SQLException {
        String sql = "SELECT host, COUNT(c), MAX(c), SUM(c), AVG(c), last(c, ts), COUNT(a) FROM m WHERE host = 'h2' GROUP BY host";
        assertThat(explain(sql)).contains("FamilyAggregate");
        List<String> got = rows(sql);
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).startsWith("[h2, 0, null, null, null, null, ");
        assertThat(got).isEqualTo(rows(sql.replace("FROM m", "FROM (SELECT * FROM m LIMIT 1000000000) AS m")));
    }

    @Example
    void minAndMaxOrderNaNAboveAllValuesAsTheSeriesTableDoes() throws SQLException {
        String family = "SELECT host, MIN(a), MAX(a), SUM(a) FROM m GROUP BY host";
        assertThat(explain(family)).contains("FamilyAggregate");
        List<String> got = rows(family);
        assertThat(got).isEqualTo(rows("SELECT host, MIN(\"value\"), MAX(\"value\"), SUM(\"value\") FROM \"m.a\" GROUP BY host"));
        assertThat(String.join("", got)).contains("NaN");
    }

    @Example
    void aGlobalAggregateOverNoRowsHasOneRow() throws SQLException {
        String sql = "SELECT COUNT(a), MAX(b), MIN(ts) FROM m WHERE ts < TIMESTAMP '2000-01-01 00:00:00'";
        assertThat(explain(sql)).contains("FamilyAggregate");
        assertThat(rows(sql)).containsExactly("[0, null, null]");
    }

    @Example
    void whatIsNotExactStaysInCalcite() throws SQLException {
        for (String sql : List.of(
                "SELECT host, COUNT(*) FROM m GROUP BY host", // rows are timestamps across fields
                "SELECT host, MAX(a) FROM m WHERE b > 10 GROUP BY host", // a field predicate
                "SELECT host, MAX(a + b) FROM m GROUP BY host", // an expression of fields
                "SELECT host, COUNT(DISTINCT a) FROM m GROUP BY host",
                "SELECT FLOOR(ts TO MONTH), MAX(a) FROM m GROUP BY FLOOR(ts TO MONTH)")) {
            assertThat(explain(sql)).as(sql).doesNotContain("FamilyAggregate");
            assertThat(rows(sql)).as(sql).isEqualTo(rows(sql.replace("FROM m", "FROM (SELECT * FROM m LIMIT 1000000000) AS m")));
        }
    }

    @Example
    void explainShowsTheRequestAndHeadersAnswerWholeBlocks() throws SQLException {
        String sql = "SELECT FLOOR(ts TO HOUR) AS h, host, AVG(a), MAX(b) FROM m WHERE host IN ('h1', 'h3')"
                + " AND ts >= " + ts(START_MS) + " AND ts < " + ts(START_MS + 6 * 3_600_000L)
                + " GROUP BY FLOOR(ts TO HOUR), host ORDER BY host, h";
        assertThat(explain(sql)).contains("FamilyAggregate(family=[m]").contains("tags=[host IN ('h1', 'h3')]")
                .contains("time=[[2026-05-01T00:00:00Z, 2026-05-01T05:59:59.999999999Z]]")
                .contains("group=[bucket(PT1H), host]").contains("aggregate=[AVG(a), MAX(b)]")
                .doesNotContain("Sort").doesNotContain("Scan");
        // the data spans hours of one day: grouped by day, every block lies in one bucket and
        // within the range, and its header answers for it
        String daily = "SELECT FLOOR(ts TO DAY) AS d, host, COUNT(a), SUM(b), MIN(c), MAX(ts) FROM m"
                + " WHERE ts >= " + ts(START_MS) + " AND ts < " + ts(START_MS + 86_400_000L) + " GROUP BY FLOOR(ts TO DAY), host";
        assertThat(explain(daily)).contains("FamilyAggregate");
        long headers = db.stats().get("blocks_from_headers");
        long decoded = db.stats().get("blocks_decoded");
        List<String> got = rows(daily);
        long fromHeaders = db.stats().get("blocks_from_headers") - headers;
        long read = db.stats().get("blocks_decoded") - decoded;
        assertThat(fromHeaders).isPositive();
        assertThat(read).as("blocks decoded when headers suffice").isZero();
        assertThat(got).isEqualTo(rows(daily.replace("FROM m", "FROM (SELECT * FROM m LIMIT 1000000000) AS m")));
    }

    // ------------------------------------------------------------------ plumbing

    private static String explain(String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement s = ugnos.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = ugnos.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 1; i <= n; i++) {
                    Object o = rs.getObject(i);
                    if (o instanceof java.sql.Timestamp t) {
                        o = t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
                    } else if (o instanceof Number num && !(o instanceof Double)) {
                        o = num.longValue();
                    } else if (o instanceof Double d) {
                        // sums of integers are exact in any order; averages may differ in the last bit
                        o = d.isNaN() ? "NaN" : d.isInfinite() ? d.toString() : Double.toString(Math.round(d * 1e9) / 1e9);
                    }
                    row[i - 1] = o;
                }
                out.add(Arrays.toString(row));
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }

    private static List<String> head(List<String> rows) {
        return rows.size() > 8 ? rows.subList(0, 8) : rows;
    }

    private static String ts(long ms) {
        return "TIMESTAMP '" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC)) + "'";
    }
}
