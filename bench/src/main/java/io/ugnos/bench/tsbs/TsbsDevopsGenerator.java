package io.ugnos.bench.tsbs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A deterministic, streaming reimplementation of the data of TSBS's {@code devops} use case,
 * {@code cpu-only} flavour (see {@code /work/shared/TSBS.md}). TSBS itself is written in Go and is
 * not used here: the shape of the data (tags, metrics, random walks, ordering) is the same, the
 * random numbers are not.
 *
 * <p>Each host has ten metrics ({@link #METRICS}); each is a random walk that starts uniform in
 * [0, 100), moves by a normal(0, 1) step after every emitted point and is clamped to [0, 100]. With
 * {@code integerValues} the emitted value is the walk truncated to an integer (as TSBS writes it),
 * while the walk itself keeps full precision. One row (ten points) per host every
 * {@value #INTERVAL_NANOS} ns, rows ordered by time and, within a tick, by host index.
 *
 * <p>Determinism: the same constructor arguments always give the same stream, bit for bit, on any
 * JVM, and each {@link #forEachRow} call replays it from the start. Every host draws its tags and
 * its walk from its own stream derived from {@code (seed, index)}, so host {@code i}'s data does
 * not depend on the number of hosts. Memory is O(hosts): nothing of the dataset is retained.
 *
 * <p>Instances are immutable and may be shared; {@code forEachRow} may run concurrently on one
 * instance since each call keeps its own state.
 */
public final class TsbsDevopsGenerator {

    /** The sampling interval, fixed at 10 s as in TSBS's default {@code --log-interval}. */
    public static final long INTERVAL_NANOS = 10_000_000_000L;

    /** The ten metrics of TSBS's {@code cpu} measurement, in TSBS's field order. */
    public static final List<String> METRICS = List.of("usage_user", "usage_system", "usage_idle",
            "usage_nice", "usage_iowait", "usage_irq", "usage_softirq", "usage_steal", "usage_guest",
            "usage_guest_nice");

    private static final int M = 10;
    private static final double MIN = 0.0;
    private static final double MAX = 100.0;
    private static final long TAG_SALT = 0x7A65_7461_6773_0001L;
    private static final long WALK_SALT = 0x7761_6C6B_7300_0002L;

    private final long seed;
    private final int hostCount;
    private final long startEpochNanos;
    private final long durationNanos;
    private final boolean integerValues;
    private final long ticks;
    private final List<Host> hosts;

    /**
     * Receives one row: one host's ten metric values at one timestamp.
     */
    @FunctionalInterface
    public interface RowConsumer {
        /**
         * @param timestampNanos epoch nanoseconds of the tick
         * @param hostIndex      index of the host (see {@link #hosts()})
         * @param metricValues   the ten values in {@link #METRICS} order. The array is reused and
         *                       overwritten for the next row: copy what must outlive the call.
         *                       Writing into it does not affect the generated data.
         */
        void accept(long timestampNanos, int hostIndex, double[] metricValues);
    }

    /**
     * @param seed            seed of all random draws (tags and walks)
     * @param hosts           number of hosts, {@code host_0 … host_{hosts-1}}; at least 1
     * @param startEpochNanos timestamp of the first tick
     * @param durationNanos   length of the data; the ticks are {@code start + k·10 s} for every
     *                        {@code k ≥ 0} with {@code k·10 s < durationNanos} (so a whole number
     *                        of intervals gives {@code durationNanos / 10 s} ticks)
     * @param integerValues   emit values truncated to integers (TSBS) instead of the real walk
     * @throws IllegalArgumentException on a non-positive host count, negative duration, or a last
     *                                  timestamp or point count beyond {@code long}
     */
    public TsbsDevopsGenerator(long seed, int hosts, long startEpochNanos, long durationNanos,
                               boolean integerValues) {
        if (hosts < 1) {
            throw new IllegalArgumentException("hosts must be at least 1: " + hosts);
        }
        if (durationNanos < 0) {
            throw new IllegalArgumentException("durationNanos must be non-negative: " + durationNanos);
        }
        this.seed = seed;
        this.hostCount = hosts;
        this.startEpochNanos = startEpochNanos;
        this.durationNanos = durationNanos;
        this.integerValues = integerValues;
        this.ticks = durationNanos / INTERVAL_NANOS + (durationNanos % INTERVAL_NANOS == 0 ? 0 : 1);
        try {
            if (ticks > 0) {
                Math.addExact(startEpochNanos, Math.multiplyExact(ticks - 1, INTERVAL_NANOS));
            }
            Math.multiplyExact(Math.multiplyExact(ticks, (long) hosts), (long) M);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamps or point count overflow a long", e);
        }
        List<Host> list = new ArrayList<>(hosts);
        for (int i = 0; i < hosts; i++) {
            list.add(new Host(i, DevopsTags.draw(i, SplitMix64.stream(seed, i, TAG_SALT))));
        }
        this.hosts = Collections.unmodifiableList(list);
    }

    /** The sampling interval in nanoseconds (always {@value #INTERVAL_NANOS}). */
    public long intervalNanos() {
        return INTERVAL_NANOS;
    }

    /** The hosts, in index order; unmodifiable. */
    public List<Host> hosts() {
        return hosts;
    }

    /** The seed given to the constructor. */
    public long seed() {
        return seed;
    }

    /** Timestamp of the first tick. */
    public long startEpochNanos() {
        return startEpochNanos;
    }

    /** The duration given to the constructor. */
    public long durationNanos() {
        return durationNanos;
    }

    /** Whether emitted values are truncated to integers. */
    public boolean integerValues() {
        return integerValues;
    }

    /** Number of ticks (distinct timestamps). */
    public long ticks() {
        return ticks;
    }

    /** Number of rows: hosts × ticks. */
    public long rows() {
        return ticks * hostCount;
    }

    /** Number of points (one per metric per row): rows × 10. */
    public long points() {
        return rows() * M;
    }

    /**
     * Streams all rows, ordered by timestamp and, within a timestamp, by host index. Each call
     * starts afresh from the seed and yields the identical sequence. Exceptions thrown by the
     * consumer end the stream and propagate.
     */
    public void forEachRow(RowConsumer consumer) {
        SplitMix64[] rngs = new SplitMix64[hostCount];
        double[] walks = new double[hostCount * M];
        for (int h = 0; h < hostCount; h++) {
            SplitMix64 rng = SplitMix64.stream(seed, h, WALK_SALT);
            rngs[h] = rng;
            for (int m = 0; m < M; m++) {
                walks[h * M + m] = rng.nextDouble() * MAX;
            }
        }
        double[] out = new double[M];
        for (long t = 0; t < ticks; t++) {
            long ts = startEpochNanos + t * INTERVAL_NANOS;
            for (int h = 0; h < hostCount; h++) {
                int base = h * M;
                for (int m = 0; m < M; m++) {
                    double w = walks[base + m];
                    out[m] = integerValues ? (double) (long) w : w;
                }
                consumer.accept(ts, h, out);
                SplitMix64 rng = rngs[h];
                for (int m = 0; m < M; m++) {
                    double w = walks[base + m] + rng.nextGaussian();
                    walks[base + m] = w < MIN ? MIN : (w > MAX ? MAX : w);
                }
            }
        }
    }
}
