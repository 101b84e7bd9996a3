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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.DoublePredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The family table {@code m} (series {@code m.a}, {@code m.b}, {@code m.c}) filtered by comparisons
 * of fields with numbers, which the scan pushes into the engine (the first one drives; the other
 * fields are read only where it held), returns the rows computed from the member series' plain
 * scans: a row per tag set and timestamp where any field has a point, kept when every comparison
 * holds (Java's comparison: NaN and a missing field fail). The points have NaN values, fields
 * missing at some timestamps, duplicates and out-of-order writes, and lie in the memtable and in
 * level-0 and level-1 segments at once.
 */
class FamilyValuePredicateTest {
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final String[] HOSTS = {"h1", "h2", "h3"};

    /** One generated comparison: its SQL and the Java test it stands for. */
    private record Condition(int field, String sql, DoublePredicate test) {
    }

    @Property(tries = 25)
    void valuePredicatesSelectTheRowsOfThePlainScans(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-family-pred");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(2 + rnd.nextInt(30))
                .withBackgroundCompaction(false))) {
            int phases = 1 + rnd.nextInt(4);
            for (int p = 0; p < phases; p++) {
                WriteBatch b = new WriteBatch();
                int n = FIELDS.length + rnd.nextInt(300);
                for (int i = 0; i < n; i++) {
                    String host = HOSTS[rnd.nextInt(HOSTS.length)];
                    double v = rnd.nextInt(15) == 0 ? Double.NaN : rnd.nextInt(100);
                    long ts = rnd.nextInt(400) * 1_000_000L; // whole milliseconds, out of order, repeated
                    // every field gets a point, so that the table m has every column the queries name
                    int field = p == 0 && i < FIELDS.length ? i : rnd.nextInt(FIELDS.length);
                    b.add("m." + FIELDS[field], TagSet.of(Map.of("host", host)), ts, v);
                }
                db.write(b);
                switch (rnd.nextInt(3)) {
                    case 0 -> db.compact(true);
                    case 1 -> db.flush();
                    default -> { }
                }
            }
            // the oracle: plain scans of each member series, aligned by (host, ts)
            TreeMap<String, Double[]> byKey = new TreeMap<>();
            for (int f = 0; f < FIELDS.length; f++) {
                if (!db.hasSeries("m." + FIELDS[f])) {
                    continue;
                }
                try (ScanCursor c = db.scan(ScanRequest.all("m." + FIELDS[f]))) {
                    while (c.next()) {
                        PointBatch pb = c.batch();
                        String host = c.tagSet(pb.tagSetId()).get("host");
                        for (int i = 0; i < pb.size(); i++) {
                            String key = host + "|" + String.format("%012d", pb.timestamps()[i]);
                            byKey.computeIfAbsent(key, k -> new Double[FIELDS.length])[f] = pb.values()[i];
                        }
                    }
                }
            }
            try (Connection sql = UgnosSql.connect(db)) {
                for (int q = 0; q < 6; q++) {
                    List<Condition> conditions = new ArrayList<>();
                    int k = 1 + rnd.nextInt(2);
                    for (int i = 0; i < k; i++) {
                        conditions.add(condition(rnd));
                    }
                    long from = rnd.nextBoolean() ? rnd.nextInt(200) * 1_000_000L : -1;
                    long to = from < 0 ? -1 : from + rnd.nextInt(300) * 1_000_000L;
                    String host = rnd.nextInt(3) == 0 ? HOSTS[rnd.nextInt(HOSTS.length)] : null;
                    List<String> where = new ArrayList<>();
                    for (Condition c : conditions) {
                        where.add(c.sql());
                    }
                    if (from >= 0) {
                        where.add("ts_ns >= " + from + " AND ts_ns < " + to);
                    }
                    if (host != null) {
                        where.add("host = '" + host + "'");
                    }
                    String text = "SELECT host, ts_ns, a, b, c FROM m WHERE " + String.join(" AND ", where);
                    List<String> expected = new ArrayList<>();
                    for (var e : byKey.entrySet()) {
                        String[] hk = e.getKey().split("\\|");
                        long ts = Long.parseLong(hk[1]);
                        if ((from >= 0 && (ts < from || ts >= to)) || (host != null && !host.equals(hk[0]))) {
                            continue;
                        }
                        Double[] v = e.getValue();
                        boolean keep = true;
                        for (Condition c : conditions) {
                            keep &= v[c.field()] != null && c.test().test(v[c.field()]);
                        }
                        if (keep) {
                            expected.add(hk[0] + " " + ts + " " + v[0] + " " + v[1] + " " + v[2]);
                        }
                    }
                    assertThat(rows(sql, text)).as(text).containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    private static Condition condition(Random rnd) {
        int f = rnd.nextInt(FIELDS.length);
        String name = FIELDS[f];
        int x = rnd.nextInt(100);
        return switch (rnd.nextInt(5)) {
            case 0 -> new Condition(f, name + " > " + x, v -> v > x);
            case 1 -> new Condition(f, name + " >= " + x, v -> v >= x);
            case 2 -> new Condition(f, x + " > " + name, v -> v < x); // the literal on the left
            case 3 -> new Condition(f, name + " <= " + x + ".5", v -> v <= x + 0.5);
            default -> {
                int y = x + rnd.nextInt(30);
                yield new Condition(f, name + " BETWEEN " + x + " AND " + y, v -> v >= x && v <= y);
            }
        };
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getLong(2) + " " + value(rs, 3) + " " + value(rs, 4) + " " + value(rs, 5));
            }
        }
        return out;
    }

    private static String value(ResultSet rs, int i) throws SQLException {
        double d = rs.getDouble(i);
        return rs.wasNull() ? "null" : Double.toString(d);
    }
}
