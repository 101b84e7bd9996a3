package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries that differ only in their constants share one plan, with the constants bound as
 * parameters ({@link LiteralLifter}). Each generated query is compared with the same query whose
 * constants are written in parentheses, which is not lifted and is planned as written: the rows
 * must be the same, and the shared plans must be hits.
 */
class SharedPlanTest {
    private static final long T0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    private static final String[] HOSTS = {"h0", "h1", "h2", "h3", "it's"};
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static Path dir;
    private static Database db;
    private static Connection c;

    @BeforeContainer
    static void load() throws Exception {
        dir = Files.createTempDirectory("ugnos-shared-plan");
        db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(64).withBackgroundCompaction(false));
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < 2_000; i++) {
            String host = HOSTS[i % HOSTS.length];
            TagSet tags = i % 7 == 0 ? TagSet.of("region", "eu") : TagSet.of("host", host, "region", i % 2 == 0 ? "eu" : "us");
            long ms = T0 + i * 1_700L + (i % 3 == 0 ? 0 : i % 1_000);
            b.add("m", tags, ms * 1_000_000L + i % 5, i % 11 == 0 ? Double.NaN : (i * 37 % 100) / 4.0);
        }
        db.write(b);
        db.flush();
        c = UgnosSql.connect(db);
    }

    @AfterContainer
    static void close() throws Exception {
        c.close();
        db.close();
        SqlTestDb.deleteRecursively(dir);
    }

    @Property(tries = 300)
    void sharedPlansGiveTheRowsOfPlansMadeForTheConstants(@ForAll("queries") java.util.function.Function<UnaryOperator<String>, String> query)
            throws SQLException {
        String lifted = query.apply(s -> s);
        String asWritten = query.apply(s -> "(" + s + ")");
        assertThat(LiteralLifter.lift(lifted)).as(lifted).isNotNull();
        assertThat(LiteralLifter.lift(asWritten)).as(asWritten).isNull();
        assertThat(rows(lifted)).as(lifted).isEqualTo(rows(asWritten));
    }

    @Property(tries = 50)
    void aShapeIsPlannedOnceWhateverItsConstants(@ForAll("host") String h1, @ForAll("time") String t1,
                                                 @ForAll("host") String h2, @ForAll("time") String t2) throws SQLException {
        for (String shape : List.of("SELECT COUNT(*), SUM(\"value\") FROM m WHERE host = %s AND ts >= %s",
                "SELECT COUNT(*) FROM m WHERE host IN (%s, 'h1') AND region NOT LIKE 'u%%' AND ts < %s")) {
            rows(String.format(shape, h1, t1)); // planned, unless an earlier try planned it
            UgnosSql.PlanStats before = UgnosSql.planStats(c);
            rows(String.format(shape, h2, t2));
            UgnosSql.PlanStats after = UgnosSql.planStats(c);
            assertThat(after.cacheHits() - before.cacheHits()).as(shape).isEqualTo(1);
            assertThat(after.cacheMisses()).as(shape).isEqualTo(before.cacheMisses());
        }
    }

    @Provide
    Arbitrary<String> host() {
        return Arbitraries.of(HOSTS).map(h -> "'" + h.replace("'", "''") + "'");
    }

    @Provide
    Arbitrary<String> time() {
        return Arbitraries.longs().between(-60_000, 2_000 * 1_700L + 60_000)
                .map(off -> "TIMESTAMP '" + TS.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(T0 + off), ZoneOffset.UTC)) + "'");
    }

    @Provide
    Arbitrary<java.util.function.Function<UnaryOperator<String>, String>> queries() {
        Arbitrary<String> host = host();
        Arbitrary<String> time = time();
        Arbitrary<String> number = Arbitraries.integers().between(-5, 30).map(String::valueOf);
        Arbitrary<String> likePattern = Arbitraries.of("'e%'", "'_u'", "'%'", "'h_'", "'%1'", "'it''%'", "'x%'", "''");
        Arbitrary<String> nanos = Arbitraries.longs().between(T0 * 1_000_000L, (T0 + 2_000 * 1_700L) * 1_000_000L).map(String::valueOf);
        return Arbitraries.oneOf(
                Combinators.combine(host, time, time).as((h, a, b) -> q ->
                        "SELECT COUNT(*), SUM(\"value\") FROM m WHERE host = " + q.apply(h) + " AND ts >= " + q.apply(a) + " AND ts < " + q.apply(b)),
                Combinators.combine(time, time).as((a, b) -> q ->
                        "SELECT host, MAX(\"value\"), COUNT(*) FROM m WHERE ts BETWEEN " + q.apply(a) + " AND " + q.apply(b) + " GROUP BY host ORDER BY host"),
                Combinators.combine(host, number).as((h, n) -> q ->
                        "SELECT ts_ns, \"value\" FROM m WHERE host <> " + q.apply(h) + " AND \"value\" > " + q.apply(n) + " ORDER BY ts_ns LIMIT 40"),
                Combinators.combine(host, nanos).as((h, ns) -> q ->
                        "SELECT FLOOR(ts TO MINUTE) AS mi, last(\"value\", ts), first(\"value\", ts) FROM m WHERE host = " + q.apply(h)
                                + " AND ts_ns > " + q.apply(ns) + " GROUP BY FLOOR(ts TO MINUTE) ORDER BY mi"),
                Combinators.combine(host, time).as((h, a) -> q ->
                        "SELECT region, COUNT(*) FROM m WHERE (host = " + q.apply(h) + " OR host IS NULL) AND ts <= " + q.apply(a)
                                + " GROUP BY region ORDER BY region"),
                Combinators.combine(host, time).as((h, a) -> q ->
                        "SELECT ts, \"value\" FROM m WHERE host = " + q.apply(h) + " AND ts < " + q.apply(a) + " ORDER BY ts DESC LIMIT 3"),
                Combinators.combine(host, host, time).as((h1, h2, a) -> q ->
                        "SELECT region, COUNT(*), MIN(\"value\") FROM m WHERE host IN (" + q.apply(h1) + ", " + q.apply(h2) + ") AND ts >= "
                                + q.apply(a) + " GROUP BY region ORDER BY region"),
                Combinators.combine(host, likePattern).as((h, p) -> q ->
                        "SELECT host, COUNT(*) FROM m WHERE host NOT IN (" + q.apply(h) + ") AND region NOT LIKE " + q.apply(p)
                                + " GROUP BY host ORDER BY host"),
                Combinators.combine(likePattern, number).as((p, n) -> q ->
                        "SELECT FLOOR(ts TO HOUR) AS hr, MAX(\"value\") FROM m WHERE host LIKE " + q.apply(p) + " AND \"value\" >= " + q.apply(n)
                                + " GROUP BY FLOOR(ts TO HOUR) ORDER BY hr"));
    }

    private static List<List<Object>> rows(String sql) throws SQLException {
        return SqlTestDb.rows(c, sql);
    }
}
