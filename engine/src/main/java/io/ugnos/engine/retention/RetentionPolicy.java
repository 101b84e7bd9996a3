package io.ugnos.engine.retention;

import io.ugnos.engine.manifest.ManifestState;

import java.util.function.LongSupplier;

/**
 * Computes the retention watermark of a series: the oldest timestamp still visible. It is the later
 * of the explicit {@code delete_before} watermark and {@code now - ttl}, where the TTL is the
 * series' own or else the database's. Reads hide everything below it at once; compaction removes it
 * from disk later.
 */
public final class RetentionPolicy {
    private final ManifestState state;
    private final LongSupplier clockNanos;

    /**
     * @param clockNanos the current time in epoch nanoseconds (injectable so that tests control expiry)
     */
    public RetentionPolicy(ManifestState state, LongSupplier clockNanos) {
        this.state = state;
        this.clockNanos = clockNanos;
    }

    /** Timestamps below the returned value are deleted; {@link Long#MIN_VALUE} when nothing is. */
    public long watermark(String series) {
        long cutoff = state.deleteBefore(series);
        long ttl = effectiveTtl(series);
        if (ttl > 0) {
            long now = clockNanos.getAsLong();
            long expired = now - ttl;
            if (expired > now) { // underflow: a TTL longer than the time since the epoch's far past
                expired = Long.MIN_VALUE;
            }
            cutoff = Math.max(cutoff, expired);
        }
        return cutoff;
    }

    /** The TTL that applies to {@code series} in nanoseconds, 0 when none. */
    public long effectiveTtl(String series) {
        Long own = state.seriesTtl(series);
        return own != null ? own : state.databaseTtl();
    }

    public long now() {
        return clockNanos.getAsLong();
    }
}
