package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ORDER BY} over the family table {@code m} (series {@code m.a}, {@code m.b}, {@code m.c},
 * tags {@code host}, {@code region}, {@code rack}), which the family scan answers in order by
 * itself, declaring the order so that Calcite drops its sort. A wrong declaration would return rows
 * out of order without any error, so every shape is compared with DuckDB holding the same rows:
 * any keys among ts, ts_ns and the tags, in either direction, NULLS FIRST/LAST or Calcite's default,
 * projections that drop and reorder columns, field filters the scan applies and Calcite applies
 * again, many tag sets at equal timestamps, sub-millisecond timestamps (ties in ts that ts_ns
 * breaks), tag sets without some tags (NULLs), out-of-order and repeated writes in the memtable
 * and in segments.
 */
class FamilyScanOrderTest {
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final String[] TAGS = {"host", "region", "rack"};
    private static final String[][] TAG_VALUES = {{"h1", "h2", "h3", "h10"}, {"eu", "us"}, {"r1", "r2"}};
    /** Columns a query can select: the table's. */
    private static final String[] COLUMNS = {"ts", "a", "b", "c", "host", "rack", "region", "ts_ns"};
    private static final String[] KEYS = {"ts", "ts_ns", "host", "region", "rack"};
    private static final long BASE_NS = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli() * 1_000_000L;

    @Property(tries = 20)
    void orderByTimeAndTagsIsTheOrderDuckDbGives(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-family-order");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(2 + rnd.nextInt(30))
                .withBackgroundCompaction(false));
             Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            load(db, rnd);
            copyToDuckDb(db, duck);
            try (Connection ugnos = UgnosSql.connect(db)) {
                for (int q = 0; q < 8; q++) {
                    compare(ugnos, duck, rnd);
                }
            }
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    @Test
    void theScanSortsAndCalciteDoesNot() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-family-order");
        try (Database db = Database.open(dir, DatabaseOptions.defaults())) {
            load(db, new Random(3));
            try (Connection ugnos = UgnosSql.connect(db)) {
                for (String sql : List.of(
                        "SELECT ts, host, a, b FROM m WHERE a > 50 AND ts >= TIMESTAMP '2026-05-01 00:00:00' ORDER BY ts, host",
                        "SELECT a FROM m WHERE host IN ('h1', 'h2') ORDER BY ts DESC, region NULLS FIRST, host",
                        "SELECT b, ts_ns FROM m WHERE a + b > 10 ORDER BY rack DESC, ts_ns")) {
                    String plan = SqlTestDb.explain(ugnos, sql);
                    assertThat(plan).as(sql).contains("FamilyScan").contains("order=").doesNotContain("Sort");
                }
                // a field is sorted by Calcite, and so is a key after it
                assertThat(SqlTestDb.explain(ugnos, "SELECT ts, a FROM m ORDER BY a, ts")).contains("EnumerableSort");
            }
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    /** Points in a few phases, each left in the memtable, flushed or compacted. */
    private static void load(Database db, Random rnd) {
        int phases = 1 + rnd.nextInt(4);
        for (int p = 0; p < phases; p++) {
            WriteBatch b = new WriteBatch();
            int n = FIELDS.length + rnd.nextInt(250);
            for (int i = 0; i < n; i++) {
                Map<String, String> tags = new HashMap<>();
                for (int t = 0; t < TAGS.length; t++) {
                    if (t == 0 || rnd.nextInt(4) != 0) { // some tag sets lack region or rack: NULL there
                        tags.put(TAGS[t], TAG_VALUES[t][rnd.nextInt(TAG_VALUES[t].length)]);
                    }
                }
                // few distinct timestamps, so that many tag sets share one; some within a millisecond
                long ts = BASE_NS + rnd.nextInt(60) * 1_000_000L + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) * 300_000L : 0);
                int field = p == 0 && i < FIELDS.length ? i : rnd.nextInt(FIELDS.length);
                b.add("m." + FIELDS[field], TagSet.of(tags), ts, rnd.nextInt(100));
            }
            db.write(b);
            switch (rnd.nextInt(3)) {
                case 0 -> db.compact(true);
                case 1 -> db.flush();
                default -> { }
            }
        }
    }

    /** The family's rows, from plain scans of its series aligned by tag set and timestamp, as DuckDB's table m. */
    private static void copyToDuckDb(Database db, Connection duck) throws SQLException {
        TreeMap<String, Object[]> rows = new TreeMap<>(); // tags|ns -> host, region, rack, ns, a, b, c
        for (int f = 0; f < FIELDS.length; f++) {
            if (!db.hasSeries("m." + FIELDS[f])) {
                continue;
            }
            try (ScanCursor c = db.scan(ScanRequest.all("m." + FIELDS[f]))) {
                while (c.next()) {
                    PointBatch pb = c.batch();
                    TagSet t = c.tagSet(pb.tagSetId());
                    for (int i = 0; i < pb.size(); i++) {
                        long ns = pb.timestamps()[i];
                        Object[] row = rows.computeIfAbsent(t + "|" + ns,
                                k -> new Object[]{t.get("host"), t.get("region"), t.get("rack"), ns, null, null, null});
                        row[4 + f] = pb.values()[i];
                    }
                }
            }
        }
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE m (ts TIMESTAMP, a DOUBLE, b DOUBLE, c DOUBLE, host VARCHAR, rack VARCHAR, region VARCHAR, ts_ns BIGINT)");
        }
        try (PreparedStatement ps = duck.prepareStatement("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Object[] r : rows.values()) {
                long ns = (Long) r[3];
                ps.setObject(1, LocalDateTime.ofInstant(Instant.ofEpochMilli(Math.floorDiv(ns, 1_000_000L)), ZoneOffset.UTC));
                ps.setObject(2, r[4]);
                ps.setObject(3, r[5]);
                ps.setObject(4, r[6]);
                ps.setObject(5, r[0]);
                ps.setObject(6, r[2]);
                ps.setObject(7, r[1]);
                ps.setLong(8, ns);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * One random query. When its keys order the rows totally (ts_ns and every tag), any projection is
     * compared row by row; otherwise the keys are among the selected columns, and the keys' sequence
     * and the rows (as a multiset) are compared, since Calcite and DuckDB may break ties differently.
     */
    private static void compare(Connection ugnos, Connection duck, Random rnd) throws SQLException {
        List<String> keys = new ArrayList<>(List.of(KEYS));
        Collections.shuffle(keys, rnd);
        boolean total = rnd.nextInt(3) == 0;
        if (!total) {
            keys = keys.subList(0, 1 + rnd.nextInt(KEYS.length - 1));
        }
        List<String> select = new ArrayList<>();
        for (String c : COLUMNS) {
            if (rnd.nextInt(3) == 0) {
                select.add(c);
            }
        }
        if (!total) {
            for (String k : keys) {
                if (!select.contains(k)) {
                    select.add(k);
                }
            }
        } else if (select.isEmpty()) {
            select.add(COLUMNS[rnd.nextInt(COLUMNS.length)]);
        }
        Collections.shuffle(select, rnd);
        List<String> ugnosOrder = new ArrayList<>();
        List<String> duckOrder = new ArrayList<>();
        for (String k : keys) {
            boolean desc = rnd.nextBoolean();
            int nulls = rnd.nextInt(3); // 0: Calcite's default (NULL largest), 1: FIRST, 2: LAST
            boolean nullsFirst = nulls == 0 ? desc : nulls == 1;
            String dir = desc ? " DESC" : "";
            ugnosOrder.add(k + dir + (nulls == 0 ? "" : nullsFirst ? " NULLS FIRST" : " NULLS LAST"));
            duckOrder.add(k + dir + (nullsFirst ? " NULLS FIRST" : " NULLS LAST"));
        }
        String where = where(rnd);
        String from = "SELECT " + String.join(", ", select) + " FROM m" + where + " ORDER BY ";
        String ugnosSql = from + String.join(", ", ugnosOrder);
        String duckSql = from + String.join(", ", duckOrder);
        List<List<Object>> got = rows(ugnos, ugnosSql);
        List<List<Object>> want = rows(duck, duckSql);
        if (total) {
            assertThat(got).as(ugnosSql).isEqualTo(want);
            return;
        }
        List<Integer> keyAt = keys.stream().map(select::indexOf).toList();
        assertThat(project(got, keyAt)).as(ugnosSql).isEqualTo(project(want, keyAt));
        Comparator<List<Object>> any = Comparator.comparing(Object::toString);
        assertThat(got.stream().sorted(any).toList()).as(ugnosSql).isEqualTo(want.stream().sorted(any).toList());
    }

    private static String where(Random rnd) {
        List<String> w = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            w.add("ts >= TIMESTAMP '2026-05-01 00:00:00.0" + (10 + rnd.nextInt(40)) + "'");
        }
        if (rnd.nextInt(3) == 0) {
            w.add("host IN ('h1', 'h10')");
        }
        if (rnd.nextInt(3) == 0) {
            w.add(FIELDS[rnd.nextInt(FIELDS.length)] + " > " + rnd.nextInt(100)); // the scan drives by it
        }
        if (rnd.nextInt(4) == 0) {
            w.add("a + b > 50"); // only Calcite can: a filter above the sorted scan
        }
        return w.isEmpty() ? "" : " WHERE " + String.join(" AND ", w);
    }

    private static List<List<Object>> project(List<List<Object>> rows, List<Integer> cols) {
        return rows.stream().map(r -> cols.stream().map(r::get).toList()).toList();
    }

    /** Rows with timestamps as epoch milliseconds and numbers as Long or Double. */
    private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    Object o = rs.getObject(i);
                    if (o instanceof java.sql.Timestamp t) {
                        o = t.toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
                    } else if (o instanceof LocalDateTime t) {
                        o = t.toInstant(ZoneOffset.UTC).toEpochMilli();
                    } else if (o instanceof Number num && !(o instanceof Double)) {
                        o = num.longValue();
                    }
                    row.add(o);
                }
                out.add(row);
            }
        }
        return out;
    }
}
