package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineBehaviourTest {
    private static final long S = 1_000_000_000L;
    private static final long DAY = 86_400 * S;
    private Path dir;
    private final AtomicLong clock = new AtomicLong(100 * DAY);

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("ugnos-engine");
    }

    @AfterEach
    void tearDown() throws IOException {
        DatabaseModelTest.deleteRecursively(dir);
    }

    private Database open() {
        return Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false).withClock(clock::get)
                .withPartitionWidthNanos(DAY));
    }

    private static void writeDays(Database db, String series, int fromDay, int days, int hosts) {
        WriteBatch b = new WriteBatch();
        for (int h = 0; h < hosts; h++) {
            WriteBatch.Run r = b.run(series, TagSet.of("host", "h" + h, "dc", h % 2 == 0 ? "even" : "odd"));
            for (long t = fromDay * DAY; t < (long) (fromDay + days) * DAY; t += 60 * S) {
                r.add(t, (t / (60 * S)) % 100);
            }
        }
        db.write(b);
    }

    private static long count(Database db, ScanRequest r) {
        long n = 0;
        try (ScanCursor c = db.scan(r)) {
            while (c.next()) {
                n += c.batch().size();
            }
        }
        return n;
    }

    @Test
    void rejectsBadInputWithTypedErrors() {
        try (Database db = open()) {
            assertThatThrownBy(() -> new WriteBatch().add("9lives", TagSet.EMPTY, 0, 1))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("9lives");
            assertThatThrownBy(() -> new WriteBatch().add("cpu", TagSet.of("", "x"), 0, 1))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty tag key");
            assertThatThrownBy(() -> new WriteBatch().add("cpu", TagSet.of("host", ""), 0, 1))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("host");
            assertThatThrownBy(() -> new WriteBatch().add("cpu", TagSet.of("value", "x"), 0, 1))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("reserved");
            assertThatThrownBy(() -> TimeRange.of(5, 4))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("after its end");
            assertThatThrownBy(() -> db.scan(ScanRequest.all("nope")))
                    .isInstanceOf(SeriesNotFoundException.class).hasMessageContaining("nope");
            assertThatThrownBy(() -> db.deleteBefore("nope", 0)).isInstanceOf(SeriesNotFoundException.class);
            assertThatThrownBy(() -> new WriteBatch().add("a".repeat(256), TagSet.EMPTY, 0, 1))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("255");
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryIsRefused() {
        try (Database db = open()) {
            assertThatThrownBy(this::open).isInstanceOf(DatabaseLockedException.class).hasMessageContaining("locked");
        }
        try (Database db = open()) {
            assertThat(db.series()).isEmpty();
        }
    }

    @Test
    void catalogAndInvertedIndexSurviveReopening() {
        try (Database db = open()) {
            writeDays(db, "cpu", 0, 1, 6);
            db.createSeries("empty.series");
        }
        try (Database db = open()) {
            assertThat(db.series()).containsExactly("cpu", "empty.series");
            assertThat(db.tagKeys("cpu")).containsExactly("dc", "host");
            ScanRequest even = ScanRequest.of("cpu", TimeRange.ALL, TagPredicate.eq("dc", "even"));
            assertThat(count(db, even)).isEqualTo(3 * 1440);
            writeDays(db, "cpu", 1, 1, 7); // one new host: a new tag set after the restored ones
        }
        try (Database db = open()) {
            assertThat(count(db, ScanRequest.of("cpu", TimeRange.ALL, TagPredicate.eq("host", "h6")))).isEqualTo(1440);
            assertThat(count(db, ScanRequest.all("cpu"))).isEqualTo(6 * 1440 + 7 * 1440);
        }
    }

    @Test
    void queriesPruneSegmentsTagSetsAndBlocks() {
        try (Database db = open()) {
            writeDays(db, "cpu", 0, 3, 10);
            db.compact();
            assertThat(db.segments()).hasSize(3); // one per day partition
            ScanRequest oneHostOneHour = ScanRequest.of("cpu", TimeRange.halfOpen(DAY + 3600 * S, DAY + 7200 * S),
                    TagPredicate.eq("host", "h4"));
            try (ScanCursor c = db.scan(oneHostOneHour)) {
                long n = 0;
                while (c.next()) {
                    n += c.batch().size();
                }
                assertThat(n).isEqualTo(60);
                assertThat(c.stats().segmentsPruned()).isEqualTo(2);
                assertThat(c.stats().tagSetsMatched()).isEqualTo(1);
                assertThat(c.stats().blocksDecoded()).isEqualTo(1); // 60 points of 1,440 in day blocks of 1,024
            }
        }
    }

    @Test
    void aggregatesUseBlockHeadersWhenABlockLiesInOneBucket() {
        // blocks cut by point count alone (no span): 1,024-point blocks straddle hours
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withClock(clock::get).withPartitionWidthNanos(DAY).withBlockSpanNanos(0))) {
            writeDays(db, "cpu", 0, 2, 4);
            db.compact();
            AggregateResult daily = db.aggregate(new AggregateRequest("cpu", TimeRange.ALL, TagPredicate.ALL, DAY, 0,
                    Set.of(AggFn.COUNT, AggFn.SUM), List.of("host")));
            assertThat(daily.rows()).hasSize(8).allSatisfy(r -> assertThat(r.count()).isEqualTo(1440));
            // each host-day is 1,440 points: one full block (1,024) and one of 416, both inside the day
            assertThat(daily.stats().blocksFromHeaders()).isEqualTo(16);
            assertThat(daily.stats().blocksDecoded()).isZero();
            AggregateResult hourly = db.aggregate(new AggregateRequest("cpu", TimeRange.ALL, TagPredicate.ALL, 3600 * S, 0,
                    Set.of(AggFn.MAX), List.of()));
            assertThat(hourly.rows()).hasSize(48).allSatisfy(r -> assertThat(r.count()).isEqualTo(240));
            assertThat(hourly.stats().blocksDecoded()).isEqualTo(16);
        }
    }

    @Test
    void hourAlignedBlocksAnswerHourlyAggregatesFromHeaders() {
        AggregateRequest hourlyMax = new AggregateRequest("cpu", TimeRange.ALL, TagPredicate.ALL, 3600 * S, 0,
                Set.of(AggFn.MAX, AggFn.AVG), List.of("host"));
        AggregateRequest quarterHours = new AggregateRequest("cpu", TimeRange.ALL, TagPredicate.ALL, 900 * S, 0,
                Set.of(AggFn.MAX, AggFn.AVG), List.of("host"));
        List<String> unaligned;
        List<String> unalignedQuarters;
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withClock(clock::get).withPartitionWidthNanos(DAY).withBlockSpanNanos(0))) {
            writeDays(db, "cpu", 0, 2, 4);
            db.compact();
            unaligned = maxAndAvg(db.aggregate(hourlyMax));
            unalignedQuarters = maxAndAvg(db.aggregate(quarterHours));
        }
        Path other = dir.resolveSibling(dir.getFileName() + "-aligned");
        // 60 points an hour: hour blocks need blockSpanMinPoints ≤ 60 (the default 256 would give 5-hour blocks)
        try (Database db = Database.open(other, DatabaseOptions.defaults().withBackgroundCompaction(false)
                .withClock(clock::get).withPartitionWidthNanos(DAY).withBlockSpanMinPoints(60))) {
            writeDays(db, "cpu", 0, 2, 4);
            db.compact();
            // 2 days × 4 hosts × 24 hour-blocks of 60 points
            assertThat(db.storage().blocks()).isEqualTo(2 * 4 * 24);
            AggregateResult hourly = db.aggregate(hourlyMax);
            assertThat(maxAndAvg(hourly)).hasSize(2 * 4 * 24).isEqualTo(unaligned);
            assertThat(hourly.stats().blocksFromHeaders()).isEqualTo(2 * 4 * 24);
            assertThat(hourly.stats().blocksDecoded()).isZero();
            // a window that starts and ends inside hours decodes only the two blocks it cuts, per host
            AggregateResult window = db.aggregate(new AggregateRequest("cpu",
                    TimeRange.halfOpen(3600 * S + 1800 * S, 12 * 3600 * S + 600 * S), TagPredicate.ALL, 3600 * S, 0,
                    Set.of(AggFn.COUNT), List.of("host")));
            assertThat(window.stats().blocksDecoded()).isEqualTo(2 * 4);
            assertThat(window.rows()).hasSize(12 * 4);
            // buckets finer than the span still decode, and agree with unaligned blocks
            AggregateResult quarters = db.aggregate(quarterHours);
            assertThat(maxAndAvg(quarters)).isEqualTo(unalignedQuarters);
            assertThat(quarters.stats().blocksFromHeaders()).isZero();
        } finally {
            try {
                DatabaseModelTest.deleteRecursively(other);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void aSparseSeriesGetsBlocksOfWholeHoursNotTinyOnes() {
        try (Database db = open()) { // defaults: blocks end at an hour boundary once they hold 256 points
            writeDays(db, "cpu", 0, 1, 1); // 60 points an hour
            db.compact();
            // 1,440 points: blocks of 5 whole hours (300 points), the last of 4 hours
            assertThat(db.storage().blocks()).isEqualTo(5);
            AggregateResult fiveHours = db.aggregate(new AggregateRequest("cpu", TimeRange.ALL, TagPredicate.ALL,
                    5 * 3600 * S, 0, Set.of(AggFn.COUNT), List.of()));
            // every block covers whole hours, so buckets of 5 hours fold all of them
            assertThat(fiveHours.stats().blocksFromHeaders()).isEqualTo(5);
            assertThat(fiveHours.stats().blocksDecoded()).isZero();
        }
    }

    /** The fields a MAX and AVG request defines (the others are unspecified). */
    private static List<String> maxAndAvg(AggregateResult r) {
        return r.rows().stream().map(x -> x.bucket() + " " + x.group() + " " + x.count() + " " + x.max() + " " + x.sum()).toList();
    }

    @Test
    void laterWriteWinsOnDuplicatesBeforeAndAfterCompaction() {
        try (Database db = open()) {
            TagSet t = TagSet.of("host", "a");
            db.write(new WriteBatch().add("cpu", t, 10, 1.0).add("cpu", t, 20, 2.0).add("cpu", t, 10, 3.0));
            db.write(new WriteBatch().add("cpu", t, 20, 4.0));
            for (int pass = 0; pass < 2; pass++) {
                try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
                    assertThat(c.next()).isTrue();
                    assertThat(c.batch().size()).isEqualTo(2);
                    assertThat(c.batch().values()[0]).isEqualTo(3.0);
                    assertThat(c.batch().values()[1]).isEqualTo(4.0);
                }
                db.compact();
            }
        }
    }

    @Test
    void retentionHidesAtOnceAndCompactionDropsWholePartitions() throws IOException {
        try (Database db = open()) {
            writeDays(db, "cpu", 95, 5, 2); // days 95..99, the clock is at day 100
            db.compact();
            assertThat(db.segments()).hasSize(5);
            db.deleteBefore("cpu", 97 * DAY);
            assertThat(count(db, ScanRequest.all("cpu"))).isEqualTo(3 * 2 * 1440);
            db.setSeriesTtl("cpu", Duration.ofDays(2)); // watermark: day 98
            assertThat(count(db, ScanRequest.all("cpu"))).isEqualTo(2 * 2 * 1440);
            db.setSeriesTtl("cpu", Duration.ofDays(30)); // growing the TTL does not bring day 97 back
            assertThat(count(db, ScanRequest.all("cpu"))).isEqualTo(2 * 2 * 1440);
            db.compact(false);
            assertThat(db.segments()).as("expired partitions dropped whole").hasSize(2);
            assertThat(db.stats().get("segments_dropped_by_retention")).isEqualTo(3);
            // points older than the watermark are dropped at write time and counted
            db.write(new WriteBatch().add("cpu", TagSet.of("host", "h0"), 50 * DAY, 1));
            assertThat(db.stats().get("points_dropped_by_retention")).isEqualTo(1);
            db.setDatabaseTtl(Duration.ofDays(1));
            assertThat(count(db, ScanRequest.all("cpu"))).as("series TTL overrides the database's").isEqualTo(2 * 2 * 1440);
            db.setSeriesTtl("cpu", null);
            assertThat(count(db, ScanRequest.all("cpu"))).isEqualTo(2 * 1440);
        }
        try (Database db = open()) {
            assertThat(db.retentionWatermark("cpu")).isEqualTo(99 * DAY);
            assertThat(count(db, ScanRequest.all("cpu"))).isEqualTo(2 * 1440);
        }
    }

    @Test
    void projectionSkipsDecodingTimestampsOfWholeBlocks() {
        try (Database db = open()) {
            writeDays(db, "cpu", 0, 1, 1);
            try (ScanCursor c = db.scan(ScanRequest.all("cpu").withProjection(false, true))) {
                double sum = 0;
                while (c.next()) {
                    for (int i = 0; i < c.batch().size(); i++) {
                        sum += c.batch().values()[i];
                    }
                }
                assertThat(sum).isEqualTo(14 * (99 * 100 / 2) + (40 * 39 / 2));
            }
        }
    }
}
