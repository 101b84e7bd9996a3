package io.ugnos.sql.session;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.UgnosSql;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.calcite.jdbc.CalciteConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast {@code TIMESTAMP} accessors ({@link UtcTimestampAccessor}) give exactly what Avatica's
 * gives: the same query is read through the ugnos connection (fast accessors installed) and through
 * the Calcite connection under it (Avatica's own), and every getter of the column is compared.
 */
class TimestampAccessorPropertiesTest {
    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, the range of Calcite's TIMESTAMP literals. */
    private static final long FIRST_LITERAL = -62_135_596_800_000L;
    private static final long LAST_LITERAL = 253_402_300_799_999L;
    /** Zones with offsets, daylight saving, historical changes and a half-hour offset, for getTimestamp(Calendar). */
    private static final String[] ZONES = {"UTC", "GMT", "Europe/Paris", "America/New_York", "Asia/Kolkata",
            "Australia/Lord_Howe", "Africa/Abidjan", "Pacific/Kiritimati", "America/St_Johns", "Europe/London"};

    /** Literals across years 1–9999 (the Julian years before 1583 go to Avatica), with NULLs, leap days and milliseconds. */
    @Property(tries = 30)
    void literalsReadAsAvaticaReadsThem(@ForAll @Size(min = 1, max = 40) List<@net.jqwik.api.From("instants") Long> millis,
                                        @ForAll("zones") String zone) throws Exception {
        StringBuilder sql = new StringBuilder("SELECT * FROM (VALUES ");
        for (int i = 0; i < millis.size(); i++) {
            Long m = millis.get(i);
            sql.append(i == 0 ? "" : ", ").append(m == null ? "(CAST(NULL AS TIMESTAMP(3)))"
                    : "(TIMESTAMP '" + LITERAL.format(LocalDateTime.ofEpochSecond(Math.floorDiv(m, 1000), 0, ZoneOffset.UTC)
                    .withNano((int) Math.floorMod(m, 1000) * 1_000_000)) + "')");
        }
        sql.append(") AS t(ts)");
        Path dir = Files.createTempDirectory("ugnos-ts");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false));
             Connection c = UgnosSql.connect(db)) {
            assertSameReadings(c, sql.toString(), zone, millis.size());
        }
    }

    /** A series' {@code ts} column, points before and after 1970 (the engine's range, 1678–2262). */
    @Property(tries = 25)
    void seriesTimestampsReadAsAvaticaReadsThem(@ForAll @Size(min = 1, max = 60) List<@net.jqwik.api.From("engineInstants") Long> millis,
                                                @ForAll("zones") String zone) throws Exception {
        Path dir = Files.createTempDirectory("ugnos-ts");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            db.createSeries("s");
            WriteBatch b = new WriteBatch();
            for (long m : millis) {
                b.add("s", TagSet.of(Map.of("host", "h")), m * 1_000_000L, 1.0);
            }
            db.write(b);
            try (Connection c = UgnosSql.connect(db)) {
                int distinct = (int) millis.stream().distinct().count();
                assertSameReadings(c, "SELECT ts FROM \"s\" ORDER BY ts", zone, distinct);
                assertSameReadings(c, "SELECT MAX(ts) AS ts FROM \"s\"", zone, 1);
            }
        }
    }

    @Example
    void theFastAccessorIsInstalledWhenTheZonesAreUtc() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-ts");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false));
             Connection c = UgnosSql.connect(db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM (VALUES (TIMESTAMP '2024-02-29 12:00:00.123')) AS t(ts)")) {
            assertThat(rs.next()).isTrue();
            boolean utc = ResultAccessors.isUtc(TimeZone.getDefault())
                    && ResultAccessors.isUtc(org.apache.calcite.avatica.util.DateTimeUtils.DEFAULT_ZONE);
            assertThat(ResultAccessors.installedColumns(rs, UtcTimestampAccessor.class)).isEqualTo(utc ? 1 : 0);
            assertThat(rs.getTimestamp(1)).isEqualTo(Timestamp.from(Instant.parse("2024-02-29T12:00:00.123Z")));
        }
    }

    /** In another default zone Avatica's arithmetic differs from the plain instant: its accessor stays, and values agree. */
    @Example
    void aNonUtcDefaultZoneKeepsAvaticasAccessor() throws Exception {
        Class.forName("org.apache.calcite.avatica.util.DateTimeUtils"); // its DEFAULT_ZONE is read once, before the switch
        TimeZone saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        Path dir = Files.createTempDirectory("ugnos-ts");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false));
             Connection c = UgnosSql.connect(db)) {
            String sql = "SELECT * FROM (VALUES (TIMESTAMP '2024-03-10 07:30:00.250'), (TIMESTAMP '1969-07-20 20:17:40.000')) AS t(ts)";
            assertSameReadings(c, sql, "Europe/Paris", 2);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                assertThat(ResultAccessors.installedColumns(rs, UtcTimestampAccessor.class)).isZero();
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Example
    void zonesWithAnyOffsetOrHistoryAreNotUtc() {
        assertThat(ResultAccessors.isUtc(TimeZone.getTimeZone("UTC"))).isTrue();
        assertThat(ResultAccessors.isUtc(TimeZone.getTimeZone("GMT"))).isTrue();
        assertThat(ResultAccessors.isUtc(TimeZone.getTimeZone("Etc/UTC"))).isTrue();
        assertThat(ResultAccessors.isUtc(TimeZone.getTimeZone("Europe/London"))).isFalse(); // UTC in winter only
        assertThat(ResultAccessors.isUtc(TimeZone.getTimeZone("Africa/Abidjan"))).isFalse(); // LMT before 1912
        assertThat(ResultAccessors.isUtc(TimeZone.getTimeZone("GMT+01:00"))).isFalse();
    }

    /** Every getter of column 1, row by row, on the ugnos connection and on the Calcite connection under it. */
    private static void assertSameReadings(Connection ugnos, String sql, String zone, int expectedRows) throws SQLException {
        Connection calcite = ugnos.unwrap(CalciteConnection.class);
        List<List<Object>> fast = readings(ugnos, sql, zone);
        List<List<Object>> avatica = readings(calcite, sql, zone);
        assertThat(fast).hasSize(expectedRows);
        assertThat(fast).as(sql).isEqualTo(avatica);
    }

    private static List<List<Object>> readings(Connection c, String sql, String zone) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        Calendar cal = Calendar.getInstance(TimeZone.getTimeZone(zone), Locale.ROOT);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.getMetaData().getColumnType(1)).isEqualTo(java.sql.Types.TIMESTAMP);
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                Timestamp t = rs.getTimestamp(1);
                row.add(t);
                row.add(t == null ? null : t.getNanos()); // Timestamp.equals compares the nanos too; kept explicit
                row.add(rs.wasNull());
                row.add(rs.getObject(1));
                row.add(rs.getObject(1) == null ? null : rs.getObject(1).getClass());
                row.add(rs.getTimestamp(1, cal));
                row.add(rs.getTimestamp("ts"));
                row.add(rs.getString(1));
                row.add(rs.getLong(1));
                row.add(rs.wasNull());
                row.add(rs.getDate(1, cal));
                out.add(row);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<Long> instants() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(FIRST_LITERAL, LAST_LITERAL)),
                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(-5_000_000_000_000L, 5_000_000_000_000L)), // 1811–2128
                net.jqwik.api.Tuple.of(2, leapDays()),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-12_219_292_800_000L - 400L * 86_400_000,
                        UtcTimestampAccessor.FIRST_GREGORIAN_MILLIS + 400L * 86_400_000)), // around the Gregorian cutover
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0L, -1L, 1L, -999L, -1000L, -1001L, 999L,
                        UtcTimestampAccessor.FIRST_GREGORIAN_MILLIS, UtcTimestampAccessor.FIRST_GREGORIAN_MILLIS - 1,
                        UtcTimestampAccessor.LAST_FAST_MILLIS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
    }

    @Provide
    Arbitrary<Long> engineInstants() {
        long lo = -9_000_000_000_000L; // 1684
        long hi = 9_000_000_000_000L;  // 2255
        return Arbitraries.oneOf(Arbitraries.longs().between(lo, hi), Arbitraries.longs().between(-86_400_000L, 86_400_000L),
                leapDays().filter(m -> m >= lo && m <= hi));
    }

    /** A random millisecond of 29 February of a random leap year between 1 and 9996. */
    private static Arbitrary<Long> leapDays() {
        return Arbitraries.integers().between(0, 2498).flatMap(k -> {
            int year = 4 * k + 4;
            if (year % 100 == 0 && year % 400 != 0) {
                year -= 4;
            }
            long day = java.time.LocalDate.of(year, 2, 29).toEpochDay() * 86_400_000L;
            return Arbitraries.longs().between(day, day + 86_399_999L);
        });
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of(ZONES);
    }
}
