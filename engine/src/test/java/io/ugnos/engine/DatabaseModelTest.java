package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of writes, deletes-before, TTL changes, clock advances, compactions and reopenings,
 * after each of which every scan and aggregate must agree with {@link ReferenceModel}.
 */
class DatabaseModelTest {
    private static final String[] SERIES = {"cpu", "mem.used", "disk:io"};
    private static final String[] HOSTS = {"a", "b", "c", "d"};
    private static final String[] REGIONS = {"eu", "us"};

    @Property(tries = 60)
    void everyScanAndAggregateAgreesWithTheModel(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-model");
        AtomicLong clock = new AtomicLong(1_000_000);
        DatabaseOptions opts = DatabaseOptions.defaults()
                .withBlockPoints(1 + rnd.nextInt(40))
                .withPartitionWidthNanos(1_000_000_000L * (1 + rnd.nextInt(3)))
                .withBackgroundCompaction(rnd.nextBoolean())
                .withL0CompactionTrigger(2 + rnd.nextInt(3))
                .withClock(clock::get);
        ReferenceModel model = new ReferenceModel();
        Database db = Database.open(dir, opts);
        try {
            int actions = 15 + rnd.nextInt(20);
            for (int a = 0; a < actions; a++) {
                int kind = rnd.nextInt(100);
                if (kind < 55) {
                    WriteBatch b = randomBatch(rnd, clock.get());
                    // the engine drops points below the watermark at write time; the model hides them at read time
                    db.write(b);
                    model.write(b);
                } else if (kind < 63 && !model.data.isEmpty()) {
                    String s = anySeries(rnd, model);
                    long ts = randomTs(rnd, clock.get());
                    db.deleteBefore(s, ts);
                    model.deleteBefore.merge(s, ts, Math::max);
                } else if (kind < 70 && !model.data.isEmpty()) {
                    String s = anySeries(rnd, model);
                    long ttl = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(5_000_000);
                    freeze(model, s, clock.get());
                    if (rnd.nextBoolean()) {
                        db.setSeriesTtl(s, Duration.ofNanos(ttl));
                        model.seriesTtl.put(s, ttl);
                    } else {
                        db.setSeriesTtl(s, null);
                        model.seriesTtl.remove(s);
                    }
                } else if (kind < 74) {
                    long ttl = rnd.nextInt(2) == 0 ? 0 : 1 + rnd.nextInt(5_000_000);
                    for (String s : model.data.keySet()) {
                        if (!model.seriesTtl.containsKey(s)) {
                            freeze(model, s, clock.get());
                        }
                    }
                    db.setDatabaseTtl(Duration.ofNanos(ttl));
                    model.databaseTtl = ttl;
                } else if (kind < 80) {
                    clock.addAndGet(rnd.nextInt(2_000_000));
                } else if (kind < 90) {
                    db.compact(rnd.nextBoolean());
                } else {
                    db.close();
                    db = Database.open(dir, opts);
                }
                if (a % 3 == 2 || a == actions - 1) {
                    checkAgreement(db, model, rnd, clock.get(), seed);
                }
            }
        } finally {
            db.close();
            deleteRecursively(dir);
        }
    }

    private static void freeze(ReferenceModel model, String s, long now) {
        long w = model.watermark(s, now);
        model.deleteBefore.merge(s, w, Math::max);
    }

    private static String anySeries(Random rnd, ReferenceModel model) {
        List<String> names = new ArrayList<>(model.data.keySet());
        return names.get(rnd.nextInt(names.size()));
    }

    /** Timestamps around the clock so that TTLs matter, with occasional extremes. */
    static long randomTs(Random rnd, long now) {
        int k = rnd.nextInt(50);
        if (k == 0) {
            return Long.MIN_VALUE + rnd.nextInt(3);
        }
        if (k == 1) {
            return Long.MAX_VALUE - rnd.nextInt(3);
        }
        return now - 4_000_000_000L + (long) (rnd.nextDouble() * 6_000_000_000L) / 1000 * 1000;
    }

    static double randomValue(Random rnd) {
        return switch (rnd.nextInt(20)) {
            case 0 -> Double.NaN;
            case 1 -> -0.0;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> rnd.nextGaussian() * 1e6;
            default -> rnd.nextInt(100);
        };
    }

    static TagSet randomTags(Random rnd) {
        Map<String, String> m = new TreeMap<>();
        if (rnd.nextInt(6) != 0) {
            m.put("host", HOSTS[rnd.nextInt(HOSTS.length)]);
        }
        if (rnd.nextInt(3) != 0) {
            m.put("region", REGIONS[rnd.nextInt(REGIONS.length)]);
        }
        return TagSet.of(m);
    }

    private static WriteBatch randomBatch(Random rnd, long now) {
        WriteBatch b = new WriteBatch();
        int runs = 1 + rnd.nextInt(6);
        for (int r = 0; r < runs; r++) {
            String s = SERIES[rnd.nextInt(SERIES.length)];
            TagSet t = randomTags(rnd);
            int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 200);
            long ts = randomTs(rnd, now);
            for (int i = 0; i < n; i++) {
                int step = rnd.nextInt(10);
                if (step < 6) {
                    ts += 10_000_000; // regular
                } else if (step < 8) {
                    ts -= rnd.nextInt(50_000_000); // out of order, maybe a duplicate
                } else if (step == 8) {
                    ts = randomTs(rnd, now);
                }
                b.add(s, t, ts, randomValue(rnd));
            }
        }
        return b;
    }

    /**
     * One to five runs of points in {@code series}, mostly 10 ms apart, sometimes out of order or
     * duplicated; when {@code written} is not null, about one point in eight is also recorded there
     * as {series, tags, ts} (at most 200), for checks of single points.
     */
    static WriteBatch randomRuns(Random rnd, long now, String[] series, List<Object[]> written) {
        WriteBatch b = new WriteBatch();
        for (int r = 0, runs = 1 + rnd.nextInt(5); r < runs; r++) {
            String s = series[rnd.nextInt(series.length)];
            TagSet t = randomTags(rnd);
            long ts = randomTs(rnd, now);
            for (int i = 0, n = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 120); i < n; i++) {
                int step = rnd.nextInt(10);
                if (step < 6) {
                    ts += 10_000_000;
                } else if (step < 8) {
                    ts -= rnd.nextInt(50_000_000); // out of order, maybe a duplicate
                }
                b.add(s, t, ts, randomValue(rnd));
                if (written != null && rnd.nextInt(8) == 0 && written.size() < 200) {
                    written.add(new Object[]{s, t, ts});
                }
            }
        }
        return b;
    }

    /** LIKE patterns with wildcards inside, at the end, escaped, and none. */
    private static final String[] LIKE_PATTERNS = {"_", "%a%", "_u", "e_", "%u", "%", "us", "a!%", "%!_%", "b%"};

    static TagPredicate randomPredicate(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 1 ? 8 : 11);
        return switch (k) {
            case 0 -> TagPredicate.ALL;
            case 1 -> TagPredicate.eq("host", HOSTS[rnd.nextInt(HOSTS.length)]);
            case 2 -> TagPredicate.notEq("region", REGIONS[rnd.nextInt(REGIONS.length)]);
            case 3 -> TagPredicate.in("host", new java.util.HashSet<>(List.of(HOSTS[rnd.nextInt(4)], HOSTS[rnd.nextInt(4)], "zz")));
            case 4 -> TagPredicate.notIn("host", Set.of(HOSTS[rnd.nextInt(4)]));
            case 5 -> TagPredicate.missing(rnd.nextBoolean() ? "host" : "region");
            case 6 -> TagPredicate.present(rnd.nextBoolean() ? "host" : "nope");
            case 7 -> rnd.nextBoolean() ? new TagPredicate.Prefix("region", rnd.nextBoolean() ? "e" : "")
                    : rnd.nextBoolean() ? TagPredicate.like(rnd.nextBoolean() ? "host" : "region", LIKE_PATTERNS[rnd.nextInt(LIKE_PATTERNS.length)], '!')
                    : TagPredicate.ilike(rnd.nextBoolean() ? "host" : "region", LIKE_PATTERNS[rnd.nextInt(LIKE_PATTERNS.length)].toUpperCase(java.util.Locale.ROOT), '!');
            case 8 -> TagPredicate.and(randomPredicate(rnd, depth + 1), randomPredicate(rnd, depth + 1));
            case 9 -> TagPredicate.or(randomPredicate(rnd, depth + 1), randomPredicate(rnd, depth + 1));
            default -> TagPredicate.not(randomPredicate(rnd, depth + 1));
        };
    }

    private static TimeRange randomRange(Random rnd, long now) {
        if (rnd.nextInt(4) == 0) {
            return TimeRange.ALL;
        }
        long a = randomTs(rnd, now);
        long b = randomTs(rnd, now);
        return TimeRange.of(Math.min(a, b), Math.max(a, b));
    }

    private static void checkAgreement(Database db, ReferenceModel model, Random rnd, long now, long seed) {
        for (String s : model.data.keySet()) {
            // the full scan also tells us the engine's tag-set ids, which order first/last ties
            Map<TagSet, Integer> ids = new HashMap<>();
            for (int q = 0; q < 4; q++) {
                TimeRange range = q == 0 ? TimeRange.ALL : randomRange(rnd, now);
                TagPredicate p = q == 0 ? TagPredicate.ALL : randomPredicate(rnd, 0);
                Map<TagSet, TreeMap<Long, Double>> got = new HashMap<>();
                try (ScanCursor c = db.scan(ScanRequest.of(s, range, p))) {
                    int lastId = -1;
                    while (c.next()) {
                        PointBatch b = c.batch();
                        assertThat(b.tagSetId()).isGreaterThanOrEqualTo(lastId);
                        lastId = b.tagSetId();
                        TagSet t = c.tagSet(b.tagSetId());
                        ids.put(t, b.tagSetId());
                        TreeMap<Long, Double> m = got.computeIfAbsent(t, x -> new TreeMap<>());
                        for (int i = 0; i < b.size(); i++) {
                            assertThat(m.isEmpty() || m.lastKey() < b.timestamps()[i])
                                    .as("ascending, duplicate-free timestamps").isTrue();
                            m.put(b.timestamps()[i], b.values()[i]);
                        }
                    }
                }
                Map<TagSet, TreeMap<Long, Double>> want = model.scan(s, range, p, now);
                assertThat(bits(got)).as("seed %d: scan of %s range %s where %s", seed, s, range, p).isEqualTo(bits(want));

                long width = rnd.nextInt(3) == 0 ? 0 : 1_000_000L * (1 + rnd.nextInt(3000));
                long origin = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong() % 1_000_000_000L;
                List<String> groupBy = switch (rnd.nextInt(4)) {
                    case 0 -> List.of();
                    case 1 -> List.of("host");
                    case 2 -> List.of("region", "host");
                    default -> List.of("region");
                };
                AggregateResult r = db.aggregate(new AggregateRequest(s, range, p, width, origin, Set.of(AggFn.values()), groupBy));
                List<TagSet> order = new ArrayList<>(ids.keySet());
                order.sort(Comparator.comparing(ids::get));
                List<ReferenceModel.Row> expected = model.aggregate(s, range, p, width, origin, groupBy, now, order);
                compareAggregates(r.rows(), expected, "seed " + seed + ": aggregate of " + s + " range " + range
                        + " where " + p + " width " + width + " origin " + origin + " by " + groupBy);
            }
        }
    }

    private static Map<TagSet, Map<Long, Long>> bits(Map<TagSet, TreeMap<Long, Double>> m) {
        Map<TagSet, Map<Long, Long>> out = new HashMap<>();
        m.forEach((t, pts) -> {
            Map<Long, Long> b = new TreeMap<>();
            pts.forEach((ts, v) -> b.put(ts, Double.doubleToRawLongBits(v)));
            out.put(t, b);
        });
        return out;
    }

    static void compareAggregates(List<AggregateRow> got, List<ReferenceModel.Row> want, String what) {
        Map<List<Object>, ReferenceModel.Row> byKey = new HashMap<>();
        for (ReferenceModel.Row w : want) {
            byKey.put(List.of(w.bucket(), String.valueOf(w.group())), w);
        }
        assertThat(got).as(what + ": row count").hasSize(want.size());
        for (AggregateRow g : got) {
            ReferenceModel.Row w = byKey.get(List.of(g.bucket(), String.valueOf(g.group())));
            assertThat(w).as(what + ": unexpected row " + g).isNotNull();
            assertThat(g.count()).as(what + " count " + g).isEqualTo(w.count());
            assertThat(same(g.min(), w.min())).as(what + " min " + g + " vs " + w).isTrue();
            assertThat(same(g.max(), w.max())).as(what + " max " + g + " vs " + w).isTrue();
            assertThat(same(g.first(), w.first())).as(what + " first " + g + " vs " + w).isTrue();
            assertThat(same(g.last(), w.last())).as(what + " last " + g + " vs " + w).isTrue();
            assertThat(closeEnough(g.sum(), w.sum())).as(what + " sum " + g + " vs " + w).isTrue();
        }
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    /** Sums may differ in the last bits because block headers add in a different order. */
    static boolean closeEnough(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
            return same(a, b);
        }
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))) + 1e-3;
    }

    static void deleteRecursively(Path dir) throws IOException {
        TestDirs.deleteRecursively(dir);
    }
}
