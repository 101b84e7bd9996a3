package io.ugnos.engine.example;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The tour of the engine: writes a few CPU series for four hosts into a new on-disk database,
 * closes it, reopens it and prints query results.
 *
 * <pre>java io.ugnos.engine.example.Example [directory]</pre>
 */
public final class Example {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private Example() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("ugnos-example");
        long start = SampleData.START;

        System.out.println("ugnos example: database in " + dir.toAbsolutePath());
        try (Database db = Database.open(dir, DatabaseOptions.defaults())) {
            long points = SampleData.write(db);
            db.compact();
            System.out.printf("wrote %,d points into %d series, then compacted%n", points, db.series().size());
        }

        try (Database db = Database.open(dir, DatabaseOptions.defaults())) {
            System.out.println("\nreopened; series: " + db.series());
            for (SegmentDesc d : db.segments()) {
                System.out.printf("segment %d: level %d, %,d points, %,d bytes (%.2f bytes/point)%n",
                        d.id(), d.level(), d.points(), d.bytes(), (double) d.bytes() / d.points());
            }

            System.out.println("\nlast 3 points of cpu.usage_user for host web-1 between 05:59:30 and 06:00:");
            TimeRange tail = TimeRange.halfOpen(start + 6 * HOUR - 30 * SECOND, start + 6 * HOUR);
            try (ScanCursor c = db.scan(ScanRequest.of("cpu.usage_user", tail, TagPredicate.eq("host", "web-1")))) {
                while (c.next()) {
                    PointBatch b = c.batch();
                    for (int i = 0; i < b.size(); i++) {
                        System.out.printf("  %s  %s  %.1f%n", Instant.ofEpochSecond(0, b.timestamps()[i]),
                                c.tagSet(b.tagSetId()), b.values()[i]);
                    }
                }
            }

            System.out.println("\nmax and avg of cpu.usage_user per hour for role=web, by host:");
            AggregateResult r = db.aggregate(new AggregateRequest("cpu.usage_user", TimeRange.ALL,
                    TagPredicate.eq("role", "web"), HOUR, 0, Set.of(AggFn.MAX, AggFn.AVG), List.of("host")));
            for (AggregateRow row : r.rows()) {
                System.out.printf("  %s  host=%-6s max=%5.1f avg=%5.2f count=%d%n", Instant.ofEpochSecond(0, row.bucket()),
                        row.group().get(0), row.max(), row.avg(), row.count());
            }
            System.out.println("  (" + r.stats() + ")");

            System.out.println("\ncount of mem.used_percent by role over the whole day, hosts other than db-2:");
            AggregateResult byRole = db.aggregate(new AggregateRequest("mem.used_percent", TimeRange.ALL,
                    TagPredicate.notEq("host", "db-2"), 0, 0, Set.of(AggFn.COUNT, AggFn.MIN, AggFn.MAX), List.of("role")));
            for (AggregateRow row : byRole.rows()) {
                System.out.printf("  role=%-4s count=%d min=%.1f max=%.1f%n", row.group().get(0), row.count(), row.min(), row.max());
            }
        }
    }
}
