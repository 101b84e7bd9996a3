package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers scan and aggregate while a writer adds batches and compactions rewrite segments underneath
 * them. Every reader must see a consistent state: each batch entirely or not at all, never a point
 * twice, and never an error because a file it was reading went away.
 */
class ConcurrentReadDuringCompactionTest {
    private static final int HOSTS = 8;
    private static final int POINTS_PER_HOST = 250;
    private static final long STEP = 1_000_000_000L;

    @Test
    void readersSeeWholeBatchesWhileCompactionRewritesSegments() throws Exception {
        Path dir = Files.createTempDirectory("ugnos-concurrent");
        try (Database db = Database.open(dir, DatabaseOptions.defaults()
                .withBlockPoints(64).withPartitionWidthNanos(600 * STEP).withL0CompactionTrigger(3))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong batchesAcked = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicLong checks = new AtomicLong();
            int batches = 40;

            Thread writer = new Thread(() -> {
                try {
                    for (int b = 0; b < batches; b++) {
                        WriteBatch wb = new WriteBatch();
                        for (int h = 0; h < HOSTS; h++) {
                            WriteBatch.Run r = wb.run("cpu", TagSet.of("host", "h" + h));
                            for (int i = 0; i < POINTS_PER_HOST; i++) {
                                r.add((b * POINTS_PER_HOST + i) * STEP, b); // value = batch number
                            }
                        }
                        db.write(wb);
                        batchesAcked.incrementAndGet();
                        if (b % 7 == 6) {
                            db.compact(false);
                        }
                    }
                } catch (Throwable t) {
                    errors.add(t);
                } finally {
                    done.set(true);
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                readers.add(new Thread(() -> {
                    try {
                        while (!done.get()) {
                            long before = batchesAcked.get();
                            long[] perBatch = new long[batches];
                            long total = 0;
                            if (!db.hasSeries("cpu")) {
                                continue;
                            }
                            try (ScanCursor c = db.scan(ScanRequest.of("cpu", TimeRange.ALL, TagPredicate.ALL))) {
                                while (c.next()) {
                                    for (int i = 0; i < c.batch().size(); i++) {
                                        perBatch[(int) c.batch().values()[i]]++;
                                    }
                                    total += c.batch().size();
                                }
                            }
                            for (long n : perBatch) {
                                assertThat(n).as("a batch is visible whole or not at all").isIn(0L, (long) HOSTS * POINTS_PER_HOST);
                            }
                            assertThat(total / (HOSTS * POINTS_PER_HOST)).isGreaterThanOrEqualTo(before);
                            List<AggregateRow> rows = db.aggregate(new AggregateRequest("cpu", TimeRange.ALL,
                                    TagPredicate.eq("host", "h3"), 0, 0, Set.of(AggFn.COUNT), List.of())).rows();
                            long count = rows.isEmpty() ? 0 : rows.get(0).count();
                            assertThat(count % POINTS_PER_HOST).isZero();
                            checks.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            writer.start();
            readers.forEach(Thread::start);
            writer.join();
            for (Thread r : readers) {
                r.join();
            }
            assertThat(errors).isEmpty();
            assertThat(checks.get()).isPositive();
            db.compact(true);
            long total = 0;
            try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
                while (c.next()) {
                    total += c.batch().size();
                }
            }
            assertThat(total).isEqualTo((long) batches * HOSTS * POINTS_PER_HOST);
            assertThat(db.segments()).allSatisfy(s -> assertThat(s.level()).isEqualTo(1));
        }
        try (var files = Files.list(dir.resolve("segments"))) {
            try (Database db = Database.open(dir)) {
                assertThat(files.count()).as("obsolete segment files are deleted").isEqualTo(db.segments().size());
            }
        }
        DatabaseModelTest.deleteRecursively(dir);
    }
}
