package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Family aggregates that read only some fields ({@code MAX(a), MAX(b) … GROUP BY minute}) still
 * have a group wherever any field has a point: the fields no aggregate reads are presence-only
 * members of the engine's multi-series aggregate, whose blocks are passed over when their span
 * holds no new group. Differential against DuckDB over the same points as aligned rows (a row per
 * (ts, host), NULL where a field has no point), on random sparse data per try: fields with points
 * where the others have none, in buckets and hosts of their own, rewrites, deletes-before, points
 * in memory, small blocks and compacted segments. Every field gets at least one point.
 */
class FamilyAggregatePresenceTest {
    private static final long START_MS = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final String[] FIELDS = {"a", "b", "c", "d"};
    private static final String[] HOSTS = {"h1", "h2", "h3"};
    private static final String[] FNS = {"MAX", "MIN", "SUM", "COUNT", "AVG"};

    @Property(tries = 25)
    void familyAggregatesOfSomeFieldsEqualDuckDbOverAlignedRows(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-family-presence");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(2 + rnd.nextInt(40))
                .withBackgroundCompaction(false)); Connection c = UgnosSql.connect(db);
             Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            Map<List<Object>, Double[]> rows = load(db, rnd);
            loadDuck(duck, rows);
            for (int q = 0; q < 12; q++) {
                String[] sql = randomQuery(rnd);
                String plan = SqlTestDb.explain(c, sql[0]);
                assertThat(plan).as(sql[0]).contains("FamilyAggregate");
                if (!sql[2].isEmpty()) {
                    assertThat(plan).as(sql[0]).contains("presence=[" + sql[2] + "]");
                }
                List<String> want = rows(duck, sql[1]);
                List<String> got = rows(c, sql[0]);
                assertThat(got).as("seed %d:%n%s%n%s", seed, sql[0], sql[1]).isEqualTo(want);
            }
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    /**
     * When every field shares its timestamps (TSBS), the fields no aggregate reads decode nothing:
     * the family aggregate decodes exactly the blocks the aggregated series alone would, and the
     * others' blocks are answered from their index entries.
     */
    @Example
    void fieldsSharingTimestampsAreNotDecodedWhenNotAggregated() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-family-presence");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false));
             Connection c = UgnosSql.connect(db)) {
            Random rnd = new Random(5);
            WriteBatch b = new WriteBatch();
            for (int host = 0; host < 2; host++) {
                for (int i = 0; i < 3 * 360; i++) { // three hours at 10 s
                    long ns = (START_MS + i * 10_000L) * 1_000_000L;
                    for (String f : FIELDS) {
                        b.add("m." + f, TagSet.of(Map.of("host", HOSTS[host])), ns, rnd.nextInt(100));
                    }
                }
            }
            db.write(b);
            db.compact(true);
            String where = " WHERE host = 'h1' AND ts >= " + ts(START_MS + 125_000) + " AND ts < " + ts(START_MS + 9_000_000);
            String family = "SELECT FLOOR(ts TO MINUTE) AS m, MAX(a), MAX(b) FROM m" + where + " GROUP BY FLOOR(ts TO MINUTE)";
            assertThat(SqlTestDb.explain(c, family)).contains("presence=[c, d]");
            long decoded = db.stats().get("blocks_decoded");
            long headers = db.stats().get("blocks_from_headers");
            List<String> got = rows(c, family);
            long familyDecoded = db.stats().get("blocks_decoded") - decoded;
            long familyHeaders = db.stats().get("blocks_from_headers") - headers;
            decoded = db.stats().get("blocks_decoded");
            for (String f : List.of("a", "b")) {
                rows(c, "SELECT FLOOR(ts TO MINUTE), MAX(\"value\") FROM \"m." + f + "\"" + where + " GROUP BY FLOOR(ts TO MINUTE)");
            }
            long seriesDecoded = db.stats().get("blocks_decoded") - decoded;
            assertThat(familyDecoded).isEqualTo(seriesDecoded).isPositive();
            assertThat(familyHeaders).as("c's and d's blocks in the window, from their index entries").isEqualTo(seriesDecoded);
            assertThat(got).hasSize(148); // minutes 2..149 of the window
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    /** Writes random sparse points; returns the aligned rows (host, ms) → field values, as the engine keeps them. */
    private static Map<List<Object>, Double[]> load(Database db, Random rnd) {
        Map<List<Object>, Double[]> rows = new TreeMap<>((x, y) -> {
            int c = String.valueOf(x.get(0)).compareTo(String.valueOf(y.get(0)));
            return c != 0 ? c : Long.compare((Long) x.get(1), (Long) y.get(1));
        });
        int spanSeconds = List.of(600, 7_200, 20_000).get(rnd.nextInt(3));
        double share = List.of(0.25, 0.6, 1.0).get(rnd.nextInt(3)); // how often a field joins a row's timestamp
        long[] cut = new long[FIELDS.length]; // per field: points older are deleted, and hidden when written later
        Arrays.fill(cut, Long.MIN_VALUE);
        for (int batch = 0, batches = 1 + rnd.nextInt(5); batch < batches; batch++) {
            WriteBatch b = new WriteBatch();
            for (int i = 0, n = 1 + rnd.nextInt(400); i < n || batch == 0 && i < FIELDS.length; i++) {
                boolean seed = batch == 0 && i < FIELDS.length; // the first batch gives every field a point
                int host = rnd.nextInt(HOSTS.length + 1); // the last: no host tag
                long ms = START_MS + rnd.nextInt(spanSeconds) * 1_000L;
                for (int f = 0; f < FIELDS.length; f++) {
                    if (seed ? f == i : rnd.nextDouble() < share) {
                        double v = rnd.nextInt(100) - 20;
                        b.add("m." + FIELDS[f], host < HOSTS.length ? TagSet.of(Map.of("host", HOSTS[host])) : TagSet.of(Map.of()),
                                ms * 1_000_000L, v);
                        if (ms >= cut[f]) {
                            rows.computeIfAbsent(List.of(host < HOSTS.length ? HOSTS[host] : "", ms), k -> new Double[FIELDS.length])[f] = v;
                        }
                    }
                }
            }
            db.write(b);
            switch (rnd.nextInt(4)) {
                case 0 -> db.flush();
                case 1 -> db.compact(rnd.nextBoolean());
                default -> { } // stays in the memtable
            }
            if (rnd.nextInt(6) == 0) {
                int f = rnd.nextInt(FIELDS.length);
                long cutMs = START_MS + rnd.nextInt(spanSeconds) * 1_000L;
                db.deleteBefore("m." + FIELDS[f], cutMs * 1_000_000L);
                cut[f] = Math.max(cut[f], cutMs);
                rows.forEach((k, v) -> {
                    if ((Long) k.get(1) < cutMs) {
                        v[f] = null;
                    }
                });
            }
        }
        rows.values().removeIf(v -> Arrays.stream(v).allMatch(x -> x == null));
        return rows;
    }

    private static void loadDuck(Connection duck, Map<List<Object>, Double[]> rows) throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE m (ts TIMESTAMP, host VARCHAR, a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE)");
        }
        try (PreparedStatement ps = duck.prepareStatement("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<List<Object>, Double[]> e : rows.entrySet()) {
                long ms = (Long) e.getKey().get(1);
                ps.setObject(1, LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC));
                String host = (String) e.getKey().get(0);
                ps.setString(2, host.isEmpty() ? null : host);
                for (int f = 0; f < FIELDS.length; f++) {
                    ps.setObject(3 + f, e.getValue()[f]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** {ugnos SQL, DuckDB SQL, the fields no aggregate reads ("c, d")}. */
    private static String[] randomQuery(Random rnd) {
        String unit = List.of("", "MINUTE", "HOUR").get(rnd.nextInt(3));
        boolean byHost = rnd.nextBoolean();
        List<String> aggs = new ArrayList<>();
        boolean[] read = new boolean[FIELDS.length];
        for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
            int f = rnd.nextInt(FIELDS.length);
            read[f] = true;
            aggs.add(FNS[rnd.nextInt(FNS.length)] + "(" + FIELDS[f] + ")");
        }
        List<String> unread = new ArrayList<>();
        for (int f = 0; f < FIELDS.length; f++) {
            if (!read[f]) {
                unread.add(FIELDS[f]);
            }
        }
        List<String> where = new ArrayList<>();
        if (rnd.nextBoolean()) {
            long from = START_MS + (rnd.nextInt(21_000) - 500) * 1_000L;
            where.add("ts >= " + ts(from) + " AND ts < " + ts(from + (1 + rnd.nextInt(15_000)) * 1_000L));
        }
        if (rnd.nextInt(3) == 0) {
            where.add(List.of("host = 'h1'", "host IN ('h2', 'h3')", "host IS NULL").get(rnd.nextInt(3)));
        }
        String[] out = new String[3];
        for (int dialect = 0; dialect < 2; dialect++) {
            String bucket = unit.isEmpty() ? null
                    : dialect == 0 ? "FLOOR(ts TO " + unit + ")" : "date_trunc('" + unit.toLowerCase(java.util.Locale.ROOT) + "', ts)";
            List<String> select = new ArrayList<>();
            List<String> group = new ArrayList<>();
            if (bucket != null) {
                select.add(bucket + " AS bk");
                group.add(bucket);
            }
            if (byHost) {
                select.add("host");
                group.add("host");
            }
            select.addAll(aggs);
            out[dialect] = "SELECT " + String.join(", ", select) + " FROM m" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + (group.isEmpty() ? "" : " GROUP BY " + String.join(", ", group));
        }
        out[2] = String.join(", ", unread);
        return out;
    }

    private static String ts(long ms) {
        return "TIMESTAMP '" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .format(LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC)) + "'";
    }

    /** Rows as sorted strings: timestamps as epoch ms, integers as longs, doubles to 1e-9. */
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
                    } else if (o instanceof Double d) {
                        o = Math.round(d * 1e9) / 1e9;
                    } else if (o instanceof Number num) {
                        o = num.longValue();
                    }
                    row[i - 1] = o;
                }
                out.add(Arrays.toString(row));
            }
        }
        out.sort(null);
        return out;
    }
}
