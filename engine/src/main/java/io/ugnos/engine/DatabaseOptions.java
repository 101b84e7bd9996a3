package io.ugnos.engine;

import java.util.function.LongSupplier;

/**
 * Settings of an open database. Immutable; derive variants with the {@code with*} methods.
 *
 * <pre>{@code DatabaseOptions o = DatabaseOptions.defaults().withPartitionWidthNanos(3_600_000_000_000L);}</pre>
 *
 * @param createIfMissing      create the directory and an empty database when none exists
 * @param blockPoints          most points per block (smaller blocks prune finer; larger compress better)
 * @param partitionWidthNanos  time span of one compacted (level-1) segment
 * @param l0CompactionTrigger  level-0 segments that start a background compaction
 * @param backgroundCompaction run compaction on a background thread
 * @param clockNanos           current time in epoch nanoseconds, for TTLs
 */
public record DatabaseOptions(boolean createIfMissing, int blockPoints, long partitionWidthNanos,
                              int l0CompactionTrigger, boolean backgroundCompaction, LongSupplier clockNanos) {
    public static final long DAY_NANOS = 86_400_000_000_000L;

    public DatabaseOptions {
        if (blockPoints < 1 || blockPoints > 1 << 20) {
            throw new InvalidInputException("blockPoints must be in 1.." + (1 << 20) + ", got " + blockPoints);
        }
        if (partitionWidthNanos < 1_000_000_000L) {
            throw new InvalidInputException("partition width must be at least one second, got " + partitionWidthNanos + " ns");
        }
        if (l0CompactionTrigger < 1) {
            throw new InvalidInputException("l0CompactionTrigger must be positive");
        }
    }

    public static DatabaseOptions defaults() {
        return new DatabaseOptions(true, 1024, DAY_NANOS, 4, true, DatabaseOptions::systemNanos);
    }

    static long systemNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public DatabaseOptions withCreateIfMissing(boolean v) {
        return new DatabaseOptions(v, blockPoints, partitionWidthNanos, l0CompactionTrigger, backgroundCompaction, clockNanos);
    }

    public DatabaseOptions withBlockPoints(int v) {
        return new DatabaseOptions(createIfMissing, v, partitionWidthNanos, l0CompactionTrigger, backgroundCompaction, clockNanos);
    }

    public DatabaseOptions withPartitionWidthNanos(long v) {
        return new DatabaseOptions(createIfMissing, blockPoints, v, l0CompactionTrigger, backgroundCompaction, clockNanos);
    }

    public DatabaseOptions withL0CompactionTrigger(int v) {
        return new DatabaseOptions(createIfMissing, blockPoints, partitionWidthNanos, v, backgroundCompaction, clockNanos);
    }

    public DatabaseOptions withBackgroundCompaction(boolean v) {
        return new DatabaseOptions(createIfMissing, blockPoints, partitionWidthNanos, l0CompactionTrigger, v, clockNanos);
    }

    public DatabaseOptions withClock(LongSupplier v) {
        return new DatabaseOptions(createIfMissing, blockPoints, partitionWidthNanos, l0CompactionTrigger, backgroundCompaction, v);
    }
}
