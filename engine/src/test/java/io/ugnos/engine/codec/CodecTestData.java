package io.ugnos.engine.codec;

import java.util.Random;

/** Series shaped like the data the engine stores, from a seeded {@link Random}. */
final class CodecTestData {
    static final long SECOND_NS = 1_000_000_000L;
    /** 2024-01-01T00:00:00Z in nanoseconds. */
    static final long EPOCH_NS = 1_704_067_200L * SECOND_NS;

    private CodecTestData() {
    }

    /** Every 10 s exactly, on a nanosecond clock. */
    static long[] regularTimestamps(int n) {
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = EPOCH_NS + i * 10 * SECOND_NS;
        }
        return ts;
    }

    /** Every 10 s plus up to +-jitterNs of noise, ascending. */
    static long[] jitteredTimestamps(Random r, int n, long jitterNs) {
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = EPOCH_NS + i * 10 * SECOND_NS + (long) ((r.nextDouble() * 2 - 1) * jitterNs);
        }
        return ts;
    }

    /** Every 10 s plus up to +-jitterMs of noise in whole milliseconds, on a nanosecond clock. */
    static long[] millisecondJitterTimestamps(Random r, int n, int jitterMs) {
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = EPOCH_NS + i * 10 * SECOND_NS + (r.nextInt(2 * jitterMs + 1) - jitterMs) * 1_000_000L;
        }
        return ts;
    }

    /** TSBS's gauge: a random walk in [0, 100] with normal(0, 1) steps, written truncated to an integer. */
    static double[] integerWalk(Random r, int n) {
        double[] v = realWalk(r, n);
        for (int i = 0; i < n; i++) {
            v[i] = (long) v[i];
        }
        return v;
    }

    /** Full-precision random walk in [0, 100] with standard normal steps (TSBS's cpu fields before rounding). */
    static double[] realWalk(Random r, int n) {
        double[] v = new double[n];
        double x = r.nextDouble() * 100;
        for (int i = 0; i < n; i++) {
            x = Math.max(0, Math.min(100, x + r.nextGaussian()));
            v[i] = x;
        }
        return v;
    }

    /** A random walk rounded to {@code digits} decimals, e.g. prices or temperatures. */
    static double[] decimalWalk(Random r, int n, int digits) {
        double scale = Math.pow(10, digits);
        double[] v = new double[n];
        long x = r.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            x += r.nextInt(201) - 100;
            v[i] = x / scale;
        }
        return v;
    }
}
