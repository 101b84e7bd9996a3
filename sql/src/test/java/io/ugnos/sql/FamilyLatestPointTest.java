package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Family aggregates made only of {@code first}/{@code last} of fields and {@code MIN}/{@code MAX} of
 * the time (TSBS {@code lastpoint}) run on the engine's latest-point path ({@code from=[latest
 * points]} in {@code EXPLAIN}) and give exactly the rows Calcite computes over the family's aligned
 * rows (the same SQL over {@code (SELECT * FROM m LIMIT n)}, which no rule pushes). Each try builds
 * its own database: out-of-order points, rewrites of a timestamp in a newer source, NaN, tag sets
 * lacking a tag, several tag sets per host, a delete-before on one field, and points in the memtable
 * only, in several overlapping segments or compacted.
 */
class FamilyLatestPointTest {
    private static final long START_MS = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final String[] HOSTS = {"h1", "h2", "h3"};
    private static final String[] RACKS = {"r1", "r2"};
    private static final List<String> AGGREGATES = List.of("first(a, ts)", "last(a, ts)", "last(b, ts)", "first(c, ts)",
            "last(c, ts)", "MIN(ts)", "MAX(ts)", "MAX(ts_ns)", "MIN(ts_ns)");
    private static final List<List<String>> GROUPS = List.of(List.of(), List.of("host"), List.of("rack"),
            List.of("host", "rack"), List.of("rack", "host"));

    @Property(tries = 15)
    void latestPointAggregatesEqualCalcitesOverAlignedRows(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-family-latest");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(1 + rnd.nextInt(40))
                .withBackgroundCompaction(false)); Connection c = UgnosSql.connect(db)) {
            load(db, rnd);
            for (int q = 0; q < 8; q++) {
                String sql = randomQuery(rnd, "m");
                assertThat(SqlTestDb.explain(c, sql)).as(sql).contains("FamilyAggregate").contains("from=[latest points]");
                List<String> want = rows(c, randomQueryOver(sql));
                List<String> got = rows(c, sql);
                assertThat(got).as("seed %d: %s", seed, sql).isEqualTo(want);
            }
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    /** The same statement over the family's aligned rows, which Calcite aggregates itself. */
    private static String randomQueryOver(String sql) {
        return sql.replace(" FROM m", " FROM (SELECT * FROM m LIMIT 1000000000) AS m");
    }

    private static String randomQuery(Random rnd, String from) {
        List<String> group = GROUPS.get(rnd.nextInt(GROUPS.size()));
        List<String> select = new ArrayList<>(group);
        for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
            select.add(AGGREGATES.get(rnd.nextInt(AGGREGATES.size())));
        }
        List<String> where = new ArrayList<>();
        if (rnd.nextBoolean()) {
            long a = START_MS + (rnd.nextInt(2_200) - 100) * 1_000L;
            where.add("ts >= " + ts(a) + " AND ts < " + ts(a + (1 + rnd.nextInt(2_500)) * 1_000L));
        }
        if (rnd.nextInt(3) == 0) {
            where.add(List.of("host = 'h1'", "host IN ('h2', 'h3')", "rack IS NULL", "host IS NULL", "rack <> 'r2'")
                    .get(rnd.nextInt(5)));
        }
        return "SELECT " + String.join(", ", select) + " FROM " + from + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + (group.isEmpty() ? "" : " GROUP BY " + String.join(", ", group));
    }

    private static void load(Database db, Random rnd) {
        List<long[]> written = new ArrayList<>(); // {field, host, rack, ms}: rewritten later
        for (int batch = 0, batches = 1 + rnd.nextInt(6); batch < batches; batch++) {
            WriteBatch b = new WriteBatch();
            for (int i = 0, n = 1 + rnd.nextInt(300); i < n || batch == 0 && i < FIELDS.length; i++) {
                // the first batch gives every field a point: a query names fields a small draw could miss
                boolean seed = batch == 0 && i < FIELDS.length;
                int field = seed ? i : rnd.nextInt(FIELDS.length);
                int host = rnd.nextInt(HOSTS.length + 1); // the last: no host tag
                int rack = rnd.nextInt(RACKS.length + 1);
                if (!seed && rnd.nextInt(6) == 0 && !written.isEmpty()) { // a rewrite: the later write wins
                    long[] w = written.get(rnd.nextInt(written.size()));
                    field = (int) w[0];
                    host = (int) w[1];
                    rack = (int) w[2];
                    add(b, field, host, rack, w[3], rnd);
                    continue;
                }
                // an offset per tag set: two tag sets of one group never share a timestamp, so
                // first/last have one answer for Calcite as well
                long ms = START_MS + rnd.nextInt(2_000) * 1_000L + host * 10 + rack;
                add(b, field, host, rack, ms, rnd);
                if (written.size() < 100) {
                    written.add(new long[]{field, host, rack, ms});
                }
            }
            db.write(b);
            switch (rnd.nextInt(4)) {
                case 0 -> db.flush();
                case 1 -> db.compact(rnd.nextBoolean());
                default -> { } // stays in the memtable
            }
            if (rnd.nextInt(5) == 0 && db.hasSeries("m.b")) {
                db.deleteBefore("m.b", (START_MS + rnd.nextInt(2_000) * 1_000L) * 1_000_000L);
            }
        }
    }

    private static void add(WriteBatch b, int field, int host, int rack, long ms, Random rnd) {
        TreeMap<String, String> tags = new TreeMap<>();
        if (host < HOSTS.length) {
            tags.put("host", HOSTS[host]);
        }
        if (rack < RACKS.length) {
            tags.put("rack", RACKS[rack]);
        }
        double v = rnd.nextInt(15) == 0 ? Double.NaN : rnd.nextInt(100) - 20;
        b.add("m." + FIELDS[field], TagSet.of(tags), ms * 1_000_000L, v);
    }

    @Example
    void lastpointReadsOneBlockHeaderPerTagSetAndField() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-family-latest");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(10).withBackgroundCompaction(false));
             Connection c = UgnosSql.connect(db)) {
            WriteBatch b = new WriteBatch();
            for (int h = 0; h < HOSTS.length; h++) {
                for (int i = 0; i < 100; i++) { // ten blocks per (field, host)
                    for (String f : FIELDS) {
                        b.add("m." + f, TagSet.of(java.util.Map.of("host", HOSTS[h])), (START_MS + i * 1_000L + h) * 1_000_000L, i + h);
                    }
                }
            }
            db.write(b);
            db.compact(true);
            String sql = "SELECT host, MAX(ts), last(a, ts), last(b, ts), last(c, ts) FROM m GROUP BY host ORDER BY host";
            assertThat(SqlTestDb.explain(c, sql)).contains("from=[latest points]").doesNotContain("Sort");
            long headers = db.stats().get("blocks_from_headers");
            long decoded = db.stats().get("blocks_decoded");
            List<String> got = rows(c, sql);
            assertThat(db.stats().get("blocks_from_headers") - headers).as("one header per (field, host)").isEqualTo(9);
            assertThat(db.stats().get("blocks_decoded") - decoded).isZero();
            assertThat(got).containsExactly("[h1, " + (START_MS + 99_000) + ", 99.0, 99.0, 99.0]",
                    "[h2, " + (START_MS + 99_001) + ", 100.0, 100.0, 100.0]", "[h3, " + (START_MS + 99_002) + ", 101.0, 101.0, 101.0]");
            // a COUNT is not an end point: the general path, which answers every block from its header
            String general = "SELECT host, MAX(ts), last(a, ts), COUNT(b) FROM m GROUP BY host";
            assertThat(SqlTestDb.explain(c, general)).contains("FamilyAggregate").doesNotContain("latest points");
            headers = db.stats().get("blocks_from_headers");
            rows(c, general);
            assertThat(db.stats().get("blocks_from_headers") - headers).isEqualTo(90);
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    /** Rows as strings, sorted unless the statement orders them; timestamps as epoch ms, NaN as "NaN". */
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
                    } else if (o instanceof Number num && !(o instanceof Double)) {
                        o = num.longValue();
                    } else if (o instanceof Double d && d.isNaN()) {
                        o = "NaN";
                    }
                    row[i - 1] = o;
                }
                out.add(Arrays.toString(row));
            }
        }
        if (!sql.contains("ORDER BY")) {
            out.sort(null);
        }
        return out;
    }

    private static String ts(long ms) {
        return "TIMESTAMP '" + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC)) + "'";
    }
}
