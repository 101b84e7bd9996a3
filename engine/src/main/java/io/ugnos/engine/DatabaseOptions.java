package io.ugnos.engine;

import java.util.function.LongSupplier;

/**
 * Settings of an open database. Immutable; derive variants with the {@code with*} methods.
 *
 * <pre>{@code DatabaseOptions o = DatabaseOptions.defaults().withDurability(Durability.SYNC);}</pre>
 *
 * @param createIfMissing       create the directory and an empty database when none exists
 * @param blockPoints           most points per block (smaller blocks prune finer; larger compress better)
 * @param partitionWidthNanos   time span of one compacted (level-1) segment
 * @param l0CompactionTrigger   level-0 segments that start a background compaction
 * @param backgroundCompaction  run compaction on a background thread
 * @param clockNanos            current time in epoch nanoseconds, for TTLs
 * @param durability            what a write survives when it returns, unless the write says otherwise
 * @param memtableBytes         memtable size (about 16 bytes per point) at which it is flushed to a segment
 * @param memtableMaxAgeNanos   age at which a non-empty memtable is flushed even if small
 * @param maxImmutableMemtables full memtables waiting for their flush before writers are held back
 * @param quarantineCorruptSegments at open, move a segment whose header, footer or index fails its
 *                              checksum to {@code <dir>/quarantine/} and serve the rest (its points are
 *                              lost to queries); false: open fails with a {@link CorruptionException}
 * @param blockSpanNanos        a block that holds at least {@code blockSpanMinPoints} points ends at the
 *                              next epoch-aligned boundary of spans of this width (default one hour; 0:
 *                              blocks are cut by {@link #blockPoints} alone). An aggregate whose time
 *                              buckets are multiples of the span (hour, day) then takes each whole
 *                              block from its header without decoding it.
 * @param blockSpanMinPoints    points a block must hold before a span boundary ends it (default 256):
 *                              a sparse series (one point a minute) gets blocks of several whole hours
 *                              instead of 60-point blocks whose index entries would cost more than
 *                              their points
 */
public record DatabaseOptions(boolean createIfMissing, int blockPoints, long partitionWidthNanos,
                              int l0CompactionTrigger, boolean backgroundCompaction, LongSupplier clockNanos,
                              Durability durability, long memtableBytes, long memtableMaxAgeNanos,
                              int maxImmutableMemtables, boolean quarantineCorruptSegments, long blockSpanNanos,
                              int blockSpanMinPoints) {
    public static final long DAY_NANOS = 86_400_000_000_000L;
    public static final long HOUR_NANOS = 3_600_000_000_000L;

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
        if (memtableBytes < 1024) {
            throw new InvalidInputException("memtable size must be at least 1 KiB, got " + memtableBytes);
        }
        if (memtableMaxAgeNanos < 1_000_000L) {
            throw new InvalidInputException("memtable max age must be at least 1 ms");
        }
        if (maxImmutableMemtables < 1) {
            throw new InvalidInputException("maxImmutableMemtables must be positive");
        }
        if (blockSpanNanos < 0) {
            throw new InvalidInputException("block span must be 0 (none) or positive, got " + blockSpanNanos + " ns");
        }
        if (blockSpanMinPoints < 1) {
            throw new InvalidInputException("blockSpanMinPoints must be positive, got " + blockSpanMinPoints);
        }
        if (durability == null || clockNanos == null) {
            throw new InvalidInputException("durability and clock are required");
        }
    }

    public static DatabaseOptions defaults() {
        return new DatabaseOptions(true, 1024, DAY_NANOS, 4, true, DatabaseOptions::systemNanos,
                Durability.FLUSH, 64L << 20, 10 * 60_000_000_000L, 2, false, HOUR_NANOS, 256);
    }

    static long systemNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public DatabaseOptions withCreateIfMissing(boolean v) {
        return with(b -> b.createIfMissing = v);
    }

    public DatabaseOptions withBlockPoints(int v) {
        return with(b -> b.blockPoints = v);
    }

    public DatabaseOptions withPartitionWidthNanos(long v) {
        return with(b -> b.partitionWidthNanos = v);
    }

    public DatabaseOptions withL0CompactionTrigger(int v) {
        return with(b -> b.l0CompactionTrigger = v);
    }

    public DatabaseOptions withBackgroundCompaction(boolean v) {
        return with(b -> b.backgroundCompaction = v);
    }

    public DatabaseOptions withClock(LongSupplier v) {
        return with(b -> b.clockNanos = v);
    }

    public DatabaseOptions withDurability(Durability v) {
        return with(b -> b.durability = v);
    }

    public DatabaseOptions withMemtableBytes(long v) {
        return with(b -> b.memtableBytes = v);
    }

    public DatabaseOptions withMemtableMaxAgeNanos(long v) {
        return with(b -> b.memtableMaxAgeNanos = v);
    }

    public DatabaseOptions withMaxImmutableMemtables(int v) {
        return with(b -> b.maxImmutableMemtables = v);
    }

    public DatabaseOptions withQuarantineCorruptSegments(boolean v) {
        return with(b -> b.quarantineCorruptSegments = v);
    }

    public DatabaseOptions withBlockSpanNanos(long v) {
        return with(b -> b.blockSpanNanos = v);
    }

    public DatabaseOptions withBlockSpanMinPoints(int v) {
        return with(b -> b.blockSpanMinPoints = v);
    }

    /** Mutable copy of the fields, so that each {@code with*} method changes one of them. */
    private static final class Fields {
        boolean createIfMissing;
        int blockPoints;
        long partitionWidthNanos;
        int l0CompactionTrigger;
        boolean backgroundCompaction;
        LongSupplier clockNanos;
        Durability durability;
        long memtableBytes;
        long memtableMaxAgeNanos;
        int maxImmutableMemtables;
        boolean quarantineCorruptSegments;
        long blockSpanNanos;
        int blockSpanMinPoints;

        Fields(DatabaseOptions o) {
            createIfMissing = o.createIfMissing;
            blockPoints = o.blockPoints;
            partitionWidthNanos = o.partitionWidthNanos;
            l0CompactionTrigger = o.l0CompactionTrigger;
            backgroundCompaction = o.backgroundCompaction;
            clockNanos = o.clockNanos;
            durability = o.durability;
            memtableBytes = o.memtableBytes;
            memtableMaxAgeNanos = o.memtableMaxAgeNanos;
            maxImmutableMemtables = o.maxImmutableMemtables;
            quarantineCorruptSegments = o.quarantineCorruptSegments;
            blockSpanNanos = o.blockSpanNanos;
            blockSpanMinPoints = o.blockSpanMinPoints;
        }

        DatabaseOptions build() {
            return new DatabaseOptions(createIfMissing, blockPoints, partitionWidthNanos, l0CompactionTrigger, backgroundCompaction, clockNanos, durability, memtableBytes, memtableMaxAgeNanos, maxImmutableMemtables, quarantineCorruptSegments, blockSpanNanos,
                    blockSpanMinPoints);
        }
    }

    private DatabaseOptions with(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }
}
