package io.ugnos.engine.query;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grouped, bucketed aggregate over a wide range presizes its bucket tables for the range's
 * buckets: fine for a few groups, but a high-cardinality group-by (one sparse group per device)
 * must not reserve thousands of buckets per group (found by review: 2,000 devices with one point
 * each over an open range reserved ~8,192 entries, ~96 KiB, per device).
 */
class GroupBucketsPresizeTest {
    @TempDir
    Path dir;

    @Test
    void manySparseGroupsDoNotEachReserveTheRangesBuckets() {
        int devices = 2_000;
        try (Database db = Database.open(dir, DatabaseOptions.defaults())) {
            WriteBatch b = new WriteBatch();
            for (int d = 0; d < devices; d++) {
                b.add("s", TagSet.of("device", "d" + d), 60_000_000_000L * d, d);
            }
            db.write(b);
            AggregateRequest req = new AggregateRequest("s", TimeRange.ALL, TagPredicate.ALL, 60_000_000_000L, 0,
                    Set.of(AggFn.COUNT), List.of("device"));
            db.aggregate(req); // warm
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            AggregateResult r = db.aggregate(req);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(r.rows()).hasSize(devices);
            assertThat(allocated).as("bytes allocated by one aggregate of %d one-point groups", devices)
                    .isLessThan(32L << 20);
        }
    }
}
