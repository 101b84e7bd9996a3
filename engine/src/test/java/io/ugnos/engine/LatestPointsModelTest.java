package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.LatestRequest;
import io.ugnos.engine.query.LatestResult;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Database#latest} against the general aggregate path ({@link Database#aggregate}, itself
 * checked against the reference model by {@link DatabaseModelTest}) after random writes (out of
 * order, duplicates, rewrites of an existing timestamp in another source, NaN), flushes, compactions,
 * deletes-before, TTLs and reopenings, with points in the memtable only, in segments only, or both.
 */
class LatestPointsModelTest {
    private static final String[] SERIES = {"cpu", "mem.used"};

    @Property(tries = 60)
    void latestAndEarliestPointsAgreeWithTheAggregatePath(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-latest");
        AtomicLong clock = new AtomicLong(1_000_000);
        DatabaseOptions opts = DatabaseOptions.defaults()
                .withBlockPoints(1 + rnd.nextInt(30))
                .withPartitionWidthNanos(1_000_000_000L * (1 + rnd.nextInt(3)))
                .withBackgroundCompaction(false)
                .withClock(clock::get);
        Database db = Database.open(dir, opts);
        List<Object[]> written = new ArrayList<>(); // {series, tags, ts}: candidates for rewrites
        try {
            int actions = 10 + rnd.nextInt(20);
            for (int a = 0; a < actions; a++) {
                int kind = rnd.nextInt(100);
                if (kind < 45) {
                    db.write(DatabaseModelTest.randomRuns(rnd, clock.get(), SERIES, written));
                } else if (kind < 60 && !written.isEmpty()) {
                    // the same (series, tag set, ts) again, usually in a newer source than the first write
                    WriteBatch b = new WriteBatch();
                    for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
                        Object[] w = written.get(rnd.nextInt(written.size()));
                        b.add((String) w[0], (TagSet) w[1], (Long) w[2], DatabaseModelTest.randomValue(rnd));
                    }
                    db.write(b);
                } else if (kind < 72) {
                    db.flush();
                } else if (kind < 78 && db.hasSeries(SERIES[0])) {
                    db.deleteBefore(SERIES[0], DatabaseModelTest.randomTs(rnd, clock.get()));
                } else if (kind < 82 && db.hasSeries(SERIES[1])) {
                    db.setSeriesTtl(SERIES[1], rnd.nextBoolean() ? null : Duration.ofNanos(1 + rnd.nextInt(4_000_000)));
                } else if (kind < 88) {
                    clock.addAndGet(rnd.nextInt(2_000_000));
                } else if (kind < 95) {
                    db.compact(rnd.nextBoolean());
                } else {
                    db.close();
                    db = Database.open(dir, opts);
                }
                if (a % 2 == 1 || a == actions - 1) {
                    check(db, rnd, clock.get(), seed);
                }
            }
        } finally {
            db.close();
            TestDirs.deleteRecursively(dir);
        }
    }

    private static void check(Database db, Random rnd, long now, long seed) {
        for (String s : SERIES) {
            if (!db.hasSeries(s)) {
                continue;
            }
            for (int q = 0; q < 6; q++) {
                TimeRange range = q == 0 ? TimeRange.ALL : randomRange(rnd, now);
                TagPredicate p = q == 0 ? TagPredicate.ALL : DatabaseModelTest.randomPredicate(rnd, 0);
                List<String> groupBy = switch (rnd.nextInt(4)) {
                    case 0 -> List.of();
                    case 1 -> List.of("host");
                    case 2 -> List.of("region", "host");
                    default -> List.of("region");
                };
                AggFn end = rnd.nextBoolean() ? AggFn.LAST : AggFn.FIRST;
                String what = "seed " + seed + ": " + end + " of " + s + " range " + range + " where " + p + " by " + groupBy;
                List<AggregateRow> want = db.aggregate(new AggregateRequest(s, range, p, 0, 0,
                        Set.of(AggFn.FIRST, AggFn.LAST), groupBy)).rows();
                // two columns computed together: the asked end of this series and the other end of the other one
                String other = SERIES[0].equals(s) ? SERIES[1] : SERIES[0];
                AggFn otherEnd = end == AggFn.LAST ? AggFn.FIRST : AggFn.LAST;
                boolean both = db.hasSeries(other);
                List<LatestRequest> asked = new ArrayList<>(List.of(new LatestRequest(s, range, p, groupBy, end)));
                if (both) {
                    asked.add(new LatestRequest(other, range, p, groupBy, otherEnd));
                }
                LatestResult got = db.latest(asked);
                assertColumn(got, 0, want, end, what);
                if (both) {
                    assertColumn(got, 1, db.aggregate(new AggregateRequest(other, range, p, 0, 0, Set.of(AggFn.FIRST, AggFn.LAST),
                            groupBy)).rows(), otherEnd, what + " (with " + other + ")");
                }
            }
        }
    }

    private static void assertColumn(LatestResult got, int column, List<AggregateRow> want, AggFn end, String what) {
        Map<List<String>, AggregateRow> byGroup = new HashMap<>();
        for (AggregateRow w : want) {
            byGroup.put(w.group(), w);
        }
        int found = 0;
        for (int g = 0; g < got.size(); g++) {
            if (!got.found(column, g)) {
                continue;
            }
            found++;
            AggregateRow w = byGroup.get(got.group(g));
            assertThat(w).as(what + ": unexpected group " + got.group(g)).isNotNull();
            boolean last = end == AggFn.LAST;
            assertThat(got.ts(column, g)).as(what + ": ts of " + w.group()).isEqualTo(last ? w.lastTs() : w.firstTs());
            assertThat(Double.doubleToLongBits(got.value(column, g))).as(what + ": value of " + w.group() + " " + got.value(column, g))
                    .isEqualTo(Double.doubleToLongBits(last ? w.last() : w.first()));
        }
        assertThat(found).as(what + ": groups").isEqualTo(want.size());
    }

    /** Ranges that often cut blocks: both ends around the clock, as the written timestamps are. */
    private static TimeRange randomRange(Random rnd, long now) {
        if (rnd.nextInt(5) == 0) {
            return TimeRange.ALL;
        }
        long a = DatabaseModelTest.randomTs(rnd, now);
        long b = DatabaseModelTest.randomTs(rnd, now);
        return TimeRange.of(Math.min(a, b), Math.max(a, b));
    }

    private static LatestResult latest(Database db, List<String> groupBy, AggFn end) {
        return db.latest(List.of(new LatestRequest("cpu", TimeRange.ALL, TagPredicate.ALL, groupBy, end)));
    }

    @Test
    void theLaterWriteOfATimestampWinsAcrossMemtableAndSegments() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-latest");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            TagSet a = TagSet.of(Map.of("host", "a"));
            TagSet b = TagSet.of(Map.of("host", "a", "rack", "1")); // the same group as a by host
            WriteBatch w = new WriteBatch();
            w.add("cpu", a, 100, 1.0).add("cpu", a, 200, 2.0).add("cpu", b, 150, 3.0);
            db.write(w);
            db.flush();
            db.write(new WriteBatch().add("cpu", a, 200, Double.NaN)); // rewrite, memtable only
            LatestResult r = latest(db, List.of("host"), AggFn.LAST);
            assertThat(r.size()).isOne();
            assertThat(r.group(0)).isEqualTo(List.of("a"));
            assertThat(r.ts(0, 0)).isEqualTo(200);
            assertThat(r.value(0, 0)).isNaN();

            db.flush();
            db.write(new WriteBatch().add("cpu", b, 200, 5.0)); // a tie between tag sets: the higher id wins the latest
            r = latest(db, List.of("host"), AggFn.LAST);
            assertThat(r.value(0, 0)).isEqualTo(5.0);
            r = latest(db, List.of("host", "rack"), AggFn.FIRST);
            Map<List<String>, Double> first = new HashMap<>();
            for (int g = 0; g < r.size(); g++) {
                first.put(r.group(g), r.value(0, g));
            }
            assertThat(first).isEqualTo(Map.of(java.util.Arrays.asList("a", null), 1.0, List.of("a", "1"), 3.0));

            db.deleteBefore("cpu", 201); // nothing left: no group comes back
            assertThat(latest(db, List.of("host"), AggFn.LAST).size()).isZero();
            db.compact(true);
            assertThat(latest(db, List.of(), AggFn.FIRST).size()).isZero();
        } finally {
            TestDirs.deleteRecursively(dir);
        }
    }
}
