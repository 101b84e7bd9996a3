package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A family scan without a condition on a field has a row wherever any field has a point. When
 * every field of a tag set has points at the same timestamps (fields written together, the usual
 * case) the scan takes those timestamps as the rows and copies each field in one pass; otherwise it
 * merges the fields' timestamps. Both must give the rows of a model of the family: per tag set, the
 * fields share their timestamps, or one field is missing, lacks a point, has one more, or every
 * field has its own timestamps; part of the data is in segments and part in the memtable.
 */
class FamilyAlignedScanPropertiesTest {
    private static final String[] FIELDS = {"a", "b", "c"};
    private static final String[] HOSTS = {"h1", "h2", "h3", "h4"};
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_767_225_600L * SECOND; // 2026-01-01

    @Property(tries = 30)
    void scansWithoutFieldConditionsHaveTheModelsRows(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-aligned");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withBlockPoints(8 + rnd.nextInt(64)))) {
            // host -> ts -> the fields' values (null: no point)
            Map<String, TreeMap<Long, Double[]>> model = new TreeMap<>();
            WriteBatch batch = new WriteBatch();
            for (int f = 0; f < FIELDS.length; f++) { // every field exists, so the family has every column
                put(batch, model.computeIfAbsent("h0", h -> new TreeMap<>()), "h0", f, START, f);
            }
            for (String host : HOSTS) {
                if (rnd.nextInt(6) == 0) {
                    continue; // a host with no points at all
                }
                TreeMap<Long, Double[]> rows = model.computeIfAbsent(host, h -> new TreeMap<>());
                int n = 1 + rnd.nextInt(300);
                long[] ts = new long[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = START + (i * 10L + (rnd.nextInt(8) == 0 ? 3 : 0)) * SECOND;
                }
                int shape = rnd.nextInt(5); // 0: the same timestamps; 1: a field missing; 2: a point fewer; 3: one more; 4: each its own
                int odd = rnd.nextInt(FIELDS.length);
                for (int f = 0; f < FIELDS.length; f++) {
                    if (shape == 1 && f == odd) {
                        continue;
                    }
                    int skip = shape == 2 && f == odd ? rnd.nextInt(n) : -1;
                    for (int i = 0; i < n; i++) {
                        if (i == skip || (shape == 4 && rnd.nextInt(3) == 0)) {
                            continue;
                        }
                        put(batch, rows, host, f, ts[i], rnd.nextInt(1000) / 10.0);
                    }
                    if (shape == 3 && f == odd) {
                        put(batch, rows, host, f, ts[n - 1] + 5 * SECOND, rnd.nextInt(1000) / 10.0);
                    }
                }
                if (rnd.nextBoolean()) {
                    db.write(batch); // this host's points into the segments, the next ones into the memtable
                    batch = new WriteBatch();
                    db.flush();
                }
            }
            db.write(batch);
            try (Connection c = UgnosSql.connect(db)) {
                for (int q = 0; q < 6; q++) {
                    String host = rnd.nextBoolean() ? HOSTS[rnd.nextInt(HOSTS.length)] : null;
                    long from = rnd.nextBoolean() ? START + rnd.nextInt(3000) * SECOND : Long.MIN_VALUE;
                    long to = rnd.nextBoolean() ? START + rnd.nextInt(3000) * SECOND : Long.MAX_VALUE;
                    int[] cols = rnd.nextBoolean() ? new int[] {0, 1, 2} : new int[] {rnd.nextInt(FIELDS.length)};
                    List<String> where = new ArrayList<>();
                    if (host != null) {
                        where.add("host = '" + host + "'");
                    }
                    if (from != Long.MIN_VALUE) {
                        where.add("ts_ns >= " + from);
                    }
                    if (to != Long.MAX_VALUE) {
                        where.add("ts_ns < " + to);
                    }
                    StringBuilder sql = new StringBuilder("SELECT ts_ns, host");
                    for (int f : cols) {
                        sql.append(", ").append(FIELDS[f]);
                    }
                    sql.append(" FROM m").append(where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
                    List<String> want = new ArrayList<>();
                    model.forEach((h, rows) -> rows.forEach((t, v) -> {
                        if ((host == null || host.equals(h)) && t >= from && t < to) {
                            StringBuilder row = new StringBuilder(t + " " + h);
                            for (int f : cols) {
                                row.append(' ').append(v[f]);
                            }
                            want.add(row.toString());
                        }
                    }));
                    want.sort(null);
                    assertThat(rows(c, sql.toString(), cols.length)).as(sql.toString()).isEqualTo(want);
                }
            }
        } finally {
            SqlTestDb.deleteRecursively(dir);
        }
    }

    private static void put(WriteBatch batch, TreeMap<Long, Double[]> rows, String host, int f, long ts, double v) {
        batch.add("m." + FIELDS[f], TagSet.of(Map.of("host", host)), ts, v);
        rows.computeIfAbsent(ts, t -> new Double[FIELDS.length])[f] = v;
    }

    private static List<String> rows(Connection c, String sql, int fields) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder(rs.getLong(1) + " " + rs.getString(2));
                for (int i = 0; i < fields; i++) {
                    double d = rs.getDouble(3 + i);
                    row.append(' ').append(rs.wasNull() ? null : Double.valueOf(d));
                }
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }
}
