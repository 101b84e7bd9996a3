package io.ugnos.engine;

import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DropSeriesTest {
    private static final long DAY = 86_400_000_000_000L;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("ugnos-drop");
    }

    @AfterEach
    void tearDown() throws IOException {
        DatabaseModelTest.deleteRecursively(dir);
    }

    private Database open() {
        return Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false).withPartitionWidthNanos(DAY));
    }

    private static void write(Database db, String series, String host, long from, int n, double value) {
        WriteBatch b = new WriteBatch();
        WriteBatch.Run r = b.run(series, TagSet.of("host", host));
        for (int i = 0; i < n; i++) {
            r.add(from + i * 60_000_000_000L, value);
        }
        db.write(b);
    }

    private static List<Double> values(Database db, String series) {
        List<Double> out = new ArrayList<>();
        try (ScanCursor c = db.scan(ScanRequest.all(series))) {
            while (c.next()) {
                for (int i = 0; i < c.batch().size(); i++) {
                    out.add(c.batch().values()[i]);
                }
            }
        }
        return out;
    }

    @Test
    void droppedSeriesDisappearsWithItsDataAndLeavesOthersIntact() {
        try (Database db = open()) {
            write(db, "cpu", "a", 0, 100, 1);
            write(db, "mem", "a", 0, 100, 2);
            db.flush();
            write(db, "cpu", "b", 2 * DAY, 10, 3); // some in segments, some in the memtable
            db.dropSeries("cpu");
            assertThat(db.hasSeries("cpu")).isFalse();
            assertThat(db.series()).containsExactly("mem");
            assertThatThrownBy(() -> db.scan(ScanRequest.all("cpu"))).isInstanceOf(SeriesNotFoundException.class);
            assertThat(values(db, "mem")).hasSize(100).containsOnly(2.0);
            for (var seg : db.segments()) { // physically gone: no live segment mentions the series
                assertThat(seg.points()).isGreaterThan(0);
            }
            assertThat(db.storage().points()).isEqualTo(100);
        }
    }

    @Test
    void recreatedSeriesStartsEmptyWithNewTagsAndNoRetention() {
        try (Database db = open()) {
            write(db, "cpu", "a", 0, 50, 1);
            db.setSeriesTtl("cpu", Duration.ofDays(1));
            db.deleteBefore("cpu", 10);
            db.dropSeries("cpu");
            db.createSeries("cpu");
            assertThat(values(db, "cpu")).isEmpty();
            assertThat(db.tagKeys("cpu")).isEmpty();
            assertThat(db.seriesTtlNanos("cpu")).isNull();
            assertThat(db.deleteBeforeWatermark("cpu")).isEqualTo(Long.MIN_VALUE);
            WriteBatch b = new WriteBatch();
            b.add("cpu", TagSet.of("region", "eu"), 5, 7.0);
            db.write(b);
            assertThat(values(db, "cpu")).containsExactly(7.0);
            assertThat(db.tagKeys("cpu")).containsExactly("region");
        }
    }

    @Test
    void dropSurvivesReopenAndRecreatedDataIsKept() {
        try (Database db = open()) {
            write(db, "cpu", "a", 0, 100, 1);
            write(db, "mem", "a", 0, 10, 2);
            db.flush();
            db.dropSeries("cpu");
            write(db, "cpu", "z", DAY, 3, 9); // re-created by a write, left in the WAL only
        }
        try (Database db = open()) {
            assertThat(db.series()).containsExactly("cpu", "mem");
            assertThat(values(db, "cpu")).containsExactly(9.0, 9.0, 9.0);
            assertThat(db.tagKeys("cpu")).containsExactly("host");
            assertThat(values(db, "mem")).hasSize(10);
            db.dropSeries("cpu");
        }
        try (Database db = open()) {
            assertThat(db.series()).containsExactly("mem");
            db.compact(true);
            assertThat(db.storage().points()).isEqualTo(10);
        }
    }

    @Test
    void writesRunOnThroughRepeatedDropsAndLoseNothingOfOtherSeries() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong memPoints = new AtomicLong();
        try (Database db = open()) {
            Thread writer = new Thread(() -> {
                try {
                    for (long i = 0; !stop.get(); i++) {
                        WriteBatch b = new WriteBatch();
                        b.add("mem", TagSet.of("host", "h" + (i % 5)), i, i);
                        b.add("cpu", TagSet.of("core", "c" + (i % 3)), i, i); // re-creates cpu after each drop
                        db.write(b);
                        memPoints.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            for (int d = 0; d < 15; d++) {
                Thread.sleep(5);
                try {
                    db.dropSeries("cpu");
                } catch (SeriesNotFoundException e) {
                    // the writer has not re-created it yet
                }
            }
            stop.set(true);
            writer.join();
            assertThat(failure.get()).isNull();
            try {
                db.dropSeries("cpu");
            } catch (SeriesNotFoundException e) {
                // the loop's last drop came after the writer's last batch: nothing re-created it
            }
            assertThat(db.series()).containsExactly("mem");
            assertThat(values(db, "mem")).hasSize((int) memPoints.get());
        }
        try (Database db = open()) {
            assertThat(db.series()).containsExactly("mem");
            assertThat(values(db, "mem")).hasSize((int) memPoints.get());
        }
    }

    @Test
    void seriesCreatedWithATtlKeepsItAcrossReopen() {
        try (Database db = open()) {
            db.createSeries("cpu", Duration.ofDays(30));
            db.createSeries("mem", Duration.ZERO);
            db.createSeries("disk");
        }
        try (Database db = open()) {
            assertThat(db.seriesTtlNanos("cpu")).isEqualTo(30 * DAY);
            assertThat(db.seriesTtlNanos("mem")).isZero();
            assertThat(db.seriesTtlNanos("disk")).isNull();
        }
    }

    @Test
    void droppingAnUnknownSeriesIsATypedError() {
        try (Database db = open()) {
            assertThatThrownBy(() -> db.dropSeries("nope")).isInstanceOf(SeriesNotFoundException.class).hasMessageContaining("nope");
        }
    }
}
