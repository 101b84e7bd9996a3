package io.ugnos.sql.session;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.UgnosSql;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.apache.calcite.jdbc.CalciteConnection;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The direct column accessors ({@link RowColumnAccessor}) give exactly what Avatica's give: the
 * same queries over a random family (fields missing at some times, tags missing in some tag sets,
 * NaN and whole values) are read through the ugnos connection (accessors installed) and through
 * the Calcite connection under it (Avatica's own), and every getter of every DOUBLE and VARCHAR
 * column is compared: scan rows ({@code FamilyRow}s), aggregate rows (arrays, bucketed or not),
 * the row of an aggregate over no points, and rows Calcite computes.
 */
class RowColumnAccessorPropertiesTest {
    private static final String[] HOSTS = {"web-1", "web-2", "db-1"};
    private static final String[] REGIONS = {"eu", "us", null};
    private static final List<String> QUERIES = List.of(
            "SELECT * FROM cpu ORDER BY ts, hostname",
            "SELECT ts, hostname, usage_user, usage_system FROM cpu WHERE usage_user > 10 ORDER BY ts, hostname",
            "SELECT hostname, region, MAX(usage_user) AS mx, AVG(usage_system) AS av, COUNT(*) AS n FROM cpu"
                    + " GROUP BY hostname, region ORDER BY hostname, region",
            "SELECT region, usage_user * 2 AS twice, CAST(usage_system AS VARCHAR) AS txt FROM cpu ORDER BY ts, hostname",
            "SELECT value, hostname FROM \"cpu.usage_user\" ORDER BY ts, hostname",
            "SELECT FLOOR(ts TO MINUTE) AS m, hostname, MIN(usage_user) AS mn, SUM(usage_system) AS s, MAX(usage_system) AS mx"
                    + " FROM cpu GROUP BY FLOOR(ts TO MINUTE), hostname ORDER BY m, hostname",
            "SELECT MAX(usage_user) AS mx, SUM(usage_system) AS s, COUNT(*) AS n FROM cpu WHERE hostname = 'nobody'");

    @Property(tries = 25)
    void columnsReadAsAvaticaReadsThem(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) throws Exception {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-acc");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            fill(db, rnd);
            try (Connection c = UgnosSql.connect(db)) {
                for (String sql : QUERIES) {
                    assertThat(readings(c, sql)).as(sql).isEqualTo(readings(c.unwrap(CalciteConnection.class), sql));
                }
            }
        }
    }

    /** Scans and aggregates read their DOUBLE and VARCHAR columns through the direct accessors (the test above is not vacuous). */
    @Example
    void scanAndAggregateColumnsAreReadDirectly() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-acc");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            fill(db, new Random(7));
            try (Connection c = UgnosSql.connect(db); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery(QUERIES.get(0))) { // ts, 2 fields, 2 tags
                    assertThat(rs.next()).isTrue();
                    assertThat(ResultAccessors.installedColumns(rs, RowColumnAccessor.DoubleColumn.class)).isEqualTo(2);
                    assertThat(ResultAccessors.installedColumns(rs, RowColumnAccessor.StringColumn.class)).isEqualTo(2);
                }
                try (ResultSet rs = s.executeQuery(QUERIES.get(2))) { // 2 tags, 2 DOUBLE aggregates, a BIGINT count
                    assertThat(ResultAccessors.installedColumns(rs, RowColumnAccessor.DoubleColumn.class)).isEqualTo(2);
                    assertThat(ResultAccessors.installedColumns(rs, RowColumnAccessor.StringColumn.class)).isEqualTo(2);
                }
            }
        }
    }

    /** Before the first row and after the last, reading fails as it does with Avatica's accessors. */
    @Example
    void readingOffARowFailsAsAvaticaDoes() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-acc");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            fill(db, new Random(11));
            try (Connection c = UgnosSql.connect(db); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT usage_user, hostname FROM cpu")) {
                assertThat(ResultAccessors.installedColumns(rs, RowColumnAccessor.DoubleColumn.class)).isEqualTo(1);
                assertThatThrownBy(() -> rs.getDouble(1)).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> rs.getString(2)).isInstanceOf(SQLException.class);
                while (rs.next()) {
                    rs.getDouble(1);
                }
                assertThatThrownBy(() -> rs.getDouble(1)).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> rs.getObject(2)).isInstanceOf(SQLException.class);
            }
        }
    }

    /** Two fields of family {@code cpu} over random tag sets and times; each field misses some times and some tag sets. */
    private static void fill(Database db, Random rnd) {
        db.createSeries("cpu.usage_user");
        db.createSeries("cpu.usage_system");
        WriteBatch b = new WriteBatch();
        int tagSets = 2 + rnd.nextInt(3);
        for (int t = 0; t < tagSets; t++) {
            Map<String, String> tags = new HashMap<>();
            tags.put("hostname", HOSTS[t % HOSTS.length] + (t >= HOSTS.length ? "x" : ""));
            String region = t == 0 ? "eu" : REGIONS[rnd.nextInt(REGIONS.length)]; // every tag key has a value somewhere
            if (region != null) {
                tags.put("region", region);
            }
            TagSet ts = TagSet.of(tags);
            int points = 1 + rnd.nextInt(30);
            long at = 1_700_000_000_000_000_000L + rnd.nextInt(100) * 1_000_000_000L;
            // the first tag set has every field at every time; the second no usage_user (its MAX is NULL)
            double userOdds = t == 0 ? 1.0 : t == 1 ? 0.0 : rnd.nextDouble();
            double systemOdds = t == 0 ? 1.0 : rnd.nextDouble();
            for (int i = 0; i < points; i++) {
                at += 1_000_000_000L * (1 + rnd.nextInt(3));
                if (rnd.nextDouble() < userOdds || t == 0) {
                    b.add("cpu.usage_user", ts, at, t == 0 && i == 0 ? 50.0 : value(rnd)); // a row passes `usage_user > 10`
                }
                if (rnd.nextDouble() < systemOdds || t == 0) {
                    b.add("cpu.usage_system", ts, at, value(rnd));
                }
            }
        }
        db.write(b);
        if (rnd.nextBoolean()) {
            db.flush(); // read from segments rather than the memtable
        }
    }

    private static double value(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> rnd.nextInt(100); // whole: getLong and getString are exact
            case 2 -> -0.5;
            default -> rnd.nextDouble() * 100;
        };
    }

    /** Every getter of every DOUBLE and VARCHAR column, row by row; other columns by getObject. */
    private static List<List<Object>> readings(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    switch (md.getColumnType(i)) {
                        case Types.DOUBLE -> {
                            row.add(Double.doubleToLongBits(rs.getDouble(i)));
                            row.add(rs.wasNull());
                            Object o = rs.getObject(i);
                            row.add(o == null ? null : o.getClass());
                            row.add(o instanceof Double d ? Double.doubleToLongBits(d) : o);
                            row.add(rs.wasNull());
                            row.add(rs.getString(i));
                            row.add(rs.getFloat(i));
                            row.add(rs.getLong(i));
                            row.add(Double.isNaN(rs.getDouble(i)) ? "NaN" : bigDecimal(rs, i));
                            row.add(rs.getDouble(md.getColumnLabel(i)));
                        }
                        case Types.VARCHAR -> {
                            row.add(rs.getString(i));
                            row.add(rs.wasNull());
                            row.add(rs.getObject(i));
                            row.add(rs.getString(md.getColumnLabel(i)));
                            row.add(rs.wasNull());
                        }
                        default -> {
                            row.add(rs.getObject(i));
                            row.add(rs.wasNull());
                        }
                    }
                }
                out.add(row);
            }
        }
        assertThat(out).as(sql).isNotEmpty();
        return out;
    }

    private static Object bigDecimal(ResultSet rs, int i) throws SQLException {
        BigDecimal d = rs.getBigDecimal(i);
        return d == null ? "null" : d;
    }
}
