package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.query.TimestampFilter;
import io.ugnos.engine.query.ValueRange;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scans with a value range and with wanted timestamps ({@link ScanRequest#withValueRange},
 * {@link ScanRequest#withTimestamps}) return exactly the points of the plain scan that pass, over
 * data spread across the memtable, overlapping level-0 segments and level-1 segments; and they skip
 * blocks by their headers, as the engine's counters show.
 */
class FilteredScanTest {
    private static final String[] HOSTS = {"a", "b", "c"};

    @Property(tries = 40)
    void filteredScansKeepExactlyThePassingPointsOfThePlainScan(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-filtered");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(1 + rnd.nextInt(30))
                .withBackgroundCompaction(false))) {
            int phases = 1 + rnd.nextInt(4);
            for (int p = 0; p < phases; p++) {
                WriteBatch b = new WriteBatch();
                int n = rnd.nextInt(200);
                for (int i = 0; i < n; i++) { // out of order, with duplicates across phases (later write wins)
                    double v = rnd.nextInt(20) == 0 ? Double.NaN : rnd.nextInt(100);
                    b.add("s", TagSet.of(Map.of("host", HOSTS[rnd.nextInt(HOSTS.length)])), rnd.nextInt(300) * 10L, v);
                }
                if (n > 0) {
                    db.write(b);
                }
                switch (rnd.nextInt(3)) {
                    case 0 -> db.compact(true); // level 1
                    case 1 -> db.flush(); // level 0, overlapping what is there
                    default -> { } // stays in the memtable
                }
            }
            if (!db.hasSeries("s")) {
                return;
            }
            TimeRange range = rnd.nextBoolean() ? TimeRange.ALL : TimeRange.halfOpen(rnd.nextInt(1500), 1500 + rnd.nextInt(1600));
            ValueRange values = randomRange(rnd);
            Map<TagSet, long[]> wanted = new HashMap<>();
            for (String h : HOSTS) {
                if (rnd.nextInt(4) > 0) {
                    TreeSet<Long> ts = new TreeSet<>();
                    int k = rnd.nextInt(60);
                    for (int i = 0; i < k; i++) {
                        ts.add(rnd.nextInt(320) * 10L - rnd.nextInt(2) * 5L); // some between the points
                    }
                    wanted.put(TagSet.of(Map.of("host", h)), ts.stream().mapToLong(Long::longValue).toArray());
                }
            }
            TimestampFilter at = rnd.nextBoolean() ? wanted::get : null;
            ScanRequest plain = ScanRequest.of("s", range, TagPredicate.ALL).withProjection(true, true);
            List<String> expected = new ArrayList<>();
            for (String p : points(db, plain)) {
                String[] f = p.split(" ");
                long ts = Long.parseLong(f[1]);
                double v = Double.parseDouble(f[2]);
                boolean timeOk = at == null || contains(wanted.get(TagSet.of(Map.of("host", f[0].substring(5)))), ts);
                boolean valueOk = values.isAll() || values.test(v);
                if (timeOk && valueOk) {
                    expected.add(p);
                }
            }
            ScanRequest filtered = plain.withValueRange(values).withTimestamps(at);
            assertThat(points(db, filtered)).as("%s, %s, filter %s", range, values, at == null ? "none" : "some")
                    .containsExactlyElementsOf(expected);
        } finally {
            delete(dir);
        }
    }

    @Test
    void aValueRangeSkipsBlocksWhoseHeaderRulesItOut() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-filtered");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(10))) {
            WriteBatch b = new WriteBatch();
            TagSet t = TagSet.of(Map.of("host", "a"));
            for (int i = 0; i < 40; i++) { // blocks of 10: [0..9] low, [10..19] high, [20..29] low with a NaN, [30..39] low
                double v = i / 10 == 1 ? 91 + i % 10 : i == 25 ? Double.NaN : i % 10;
                b.add("s", t, i, v);
            }
            db.write(b);
            db.compact(true);
            ScanRequest above90 = ScanRequest.all("s").withValueRange(ValueRange.above(90, false));
            try (ScanCursor c = db.scan(above90)) {
                List<Long> ts = new ArrayList<>();
                while (c.next()) {
                    for (int i = 0; i < c.batch().size(); i++) {
                        ts.add(c.batch().timestamps()[i]);
                    }
                }
                assertThat(ts).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
                // the NaN block's header max is NaN: it cannot be ruled out, so it is decoded
                assertThat(c.stats().blocksDecoded()).isEqualTo(2);
                assertThat(c.stats().blocksSkipped()).isEqualTo(2);
            }
            ScanRequest below5 = ScanRequest.all("s").withValueRange(ValueRange.below(5, true));
            try (ScanCursor c = db.scan(below5)) {
                int n = 0;
                while (c.next()) {
                    n += c.batch().size();
                }
                assertThat(n).isEqualTo(6 + 5 + 6); // 0..5 of three low blocks, the NaN not among them
                assertThat(c.stats().blocksSkipped()).isEqualTo(1);
            }
        } finally {
            delete(dir);
        }
    }

    @Test
    void wantedTimestampsSkipBlocksHoldingNone() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-filtered");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(10))) {
            WriteBatch b = new WriteBatch();
            TagSet a = TagSet.of(Map.of("host", "a"));
            TagSet other = TagSet.of(Map.of("host", "b"));
            for (int i = 0; i < 50; i++) {
                b.add("s", a, i, i);
                b.add("s", other, i, i);
            }
            db.write(b);
            db.compact(true);
            long[] wanted = {12, 17, 35};
            ScanRequest r = ScanRequest.all("s").withTimestamps(tags -> tags.equals(a) ? wanted : null);
            try (ScanCursor c = db.scan(r)) {
                List<Long> ts = new ArrayList<>();
                while (c.next()) {
                    PointBatch pb = c.batch();
                    assertThat(c.tagSet(pb.tagSetId())).isEqualTo(a);
                    for (int i = 0; i < pb.size(); i++) {
                        ts.add(pb.timestamps()[i]);
                    }
                }
                assertThat(ts).containsExactly(12L, 17L, 35L);
                // host a: blocks [10..19] and [30..39] decoded, three skipped; host b's blocks are never listed
                assertThat(c.stats().blocksDecoded()).isEqualTo(2);
                assertThat(c.stats().blocksSkipped()).isEqualTo(3);
            }
        } finally {
            delete(dir);
        }
    }

    @Test
    void valueRangesIntersectAndTestLikeJava() {
        ValueRange r = ValueRange.above(10, false).intersect(ValueRange.below(20, true)).intersect(ValueRange.above(10, true));
        assertThat(r).isEqualTo(new ValueRange(10, false, 20, true));
        assertThat(r.test(10)).isFalse();
        assertThat(r.test(20)).isTrue();
        assertThat(r.test(Double.NaN)).isFalse();
        assertThat(ValueRange.ALL.test(Double.NaN)).isTrue();
        assertThat(ValueRange.ALL.intersect(r)).isEqualTo(r);
    }

    private static ValueRange randomRange(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> ValueRange.ALL;
            case 1 -> ValueRange.above(rnd.nextInt(100), rnd.nextBoolean());
            case 2 -> ValueRange.below(rnd.nextInt(100), rnd.nextBoolean());
            default -> {
                int lo = rnd.nextInt(100);
                yield new ValueRange(lo, rnd.nextBoolean(), lo + rnd.nextInt(40), rnd.nextBoolean());
            }
        };
    }

    private static boolean contains(long[] sorted, long ts) {
        return sorted != null && java.util.Arrays.binarySearch(sorted, ts) >= 0;
    }

    /** "host=x ts value" per point, in scan order. */
    private static List<String> points(Database db, ScanRequest r) {
        List<String> out = new ArrayList<>();
        try (ScanCursor c = db.scan(r)) {
            while (c.next()) {
                PointBatch b = c.batch();
                String host = "host=" + c.tagSet(b.tagSetId()).get("host");
                for (int i = 0; i < b.size(); i++) {
                    out.add(host + " " + b.timestamps()[i] + " " + b.values()[i]);
                }
            }
        }
        return out;
    }

    private static void delete(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
