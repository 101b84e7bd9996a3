package io.ugnos.bench.tsbs;

/**
 * A small, fully specified pseudo-random generator (SplitMix64) with a Marsaglia-polar normal
 * deviate, so that generated data is bit-identical on every JVM and platform.
 *
 * <p>{@link java.util.Random} would also be reproducible, but it is synchronised and slow, and the
 * {@code RandomGenerator} algorithms' Gaussian is not specified bit-for-bit. The logarithm uses
 * {@link StrictMath} and the square root is exactly rounded, so no platform intrinsic can change a
 * value. Not thread-safe; one instance per stream.
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    private SplitMix64(long state) {
        this.state = state;
    }

    /**
     * An independent stream for {@code (seed, stream, salt)}: distinct triples give unrelated
     * sequences, so each host's data does not depend on how many other hosts exist.
     */
    static SplitMix64 stream(long seed, long stream, long salt) {
        return new SplitMix64(mix64(seed ^ mix64(stream * GOLDEN_GAMMA + salt)));
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in [0, bound) by Lemire's multiply-shift on 32 random bits; the bias is below
     * bound / 2^32, negligible for the small tag domains drawn here.
     */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Standard normal deviate (Marsaglia polar method; the second deviate of a pair is cached). */
    double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * nextDouble() - 1.0;
            v = 2.0 * nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double scale = Math.sqrt(-2.0 * StrictMath.log(s) / s);
        spareGaussian = v * scale;
        hasSpareGaussian = true;
        return u * scale;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
