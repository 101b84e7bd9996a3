package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;

/**
 * Runs the row generator once before any system loads, so that no system's timed load pays for
 * compiling it. The call site that hands a row to the loader ({@code consumer.accept} in
 * {@link TsbsDevopsGenerator#forEachRow}) is first made megamorphic by two short passes with other
 * consumers: warmed with one consumer only, the JIT would inline that one, and the first system to
 * load would find the compiled generator deoptimised under it and pay for compiling it again (the
 * second system too, when the site turns bimorphic), while a later system would not.
 */
final class GeneratorWarmUp {
    private static volatile double sink;

    private GeneratorWarmUp() {
    }

    /** Warms the generator up and returns the seconds of the full pass over {@code data} (the generator's own cost). */
    static double run(TsbsDevopsGenerator data) {
        TsbsDevopsGenerator small = new TsbsDevopsGenerator(1, 4, data.startEpochNanos(), 3_600_000_000_000L, true);
        double[] acc = new double[1];
        small.forEachRow((ts, h, v) -> acc[0] += v[0]);
        small.forEachRow((ts, h, v) -> acc[0] += h);
        long t0 = System.nanoTime();
        data.forEachRow((ts, h, v) -> acc[0] += v[v.length - 1]);
        double seconds = (System.nanoTime() - t0) / 1e9;
        sink = acc[0];
        return seconds;
    }
}
