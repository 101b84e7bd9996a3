package io.ugnos.engine.segment;

import io.ugnos.engine.diskfull.SmallFileSystem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A block's header statistics (min, max, sum) are what a plain loop over its doubles gives, bit for
 * bit, whether the writer computed them itself or took them from the DECIMAL codec's analysis of an
 * integer block ({@code ValueCodec.integerStats}): integers small and large (up to and past the
 * magnitude where a sum of the block's integers stops being exact in a double), negative, zero,
 * mixed with decimals, {@code -0.0} and NaN.
 */
class BlockHeaderStatsTest {

    @Property(tries = 300)
    void headerStatisticsAreThoseOfAPlainLoop(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3_000) int points,
                                              @ForAll @IntRange(min = 1, max = 1_024) int blockPoints,
                                              @ForAll @IntRange(min = 0, max = 6) int kind) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ts = new long[points];
        double[] vs = new double[points];
        // magnitudes around the exactness bound 2^53 / blockPoints, and near the codec's 2^52 limit
        long bound = (1L << 53) / blockPoints;
        for (int i = 0; i < points; i++) {
            ts[i] = 1_000L * i;
            vs[i] = switch (kind) {
                case 0 -> rnd.nextInt(-100, 101); // small integers
                case 1 -> bound - rnd.nextLong(3) + (rnd.nextBoolean() ? 0 : 1); // at the bound and just past it
                case 2 -> -(bound + rnd.nextLong(-2, 3)); // negative, at the bound
                case 3 -> rnd.nextLong((1L << 52) - 1) * (rnd.nextBoolean() ? 1 : -1); // huge: sums inexact
                case 4 -> rnd.nextInt(1_000) / 10.0; // decimals: no integer statistics
                case 5 -> rnd.nextInt(20) == 0 ? (rnd.nextBoolean() ? -0.0 : Double.NaN) : rnd.nextInt(50); // integers with -0.0, NaN
                default -> 0.0;
            };
        }
        Path dir = Files.createTempDirectory("ugnos-header-stats");
        try {
            Path file;
            try (SegmentWriter w = new SegmentWriter(dir, 1, blockPoints, 0, 1)) {
                w.beginSeries("s");
                w.append(0, ts, vs, 0, points);
                w.endSeries();
                file = w.finish().file();
            }
            SegmentReader r = SegmentReader.open(file, 1);
            r.ref();
            try {
                BlockTable t = r.blocks();
                assertThat(t.size()).isEqualTo((points + blockPoints - 1) / blockPoints);
                for (int b = 0; b < t.size(); b++) {
                    int from = b * blockPoints;
                    int to = Math.min(points, from + blockPoints);
                    double min = vs[from];
                    double max = vs[from];
                    double sum = 0;
                    for (int i = from; i < to; i++) {
                        max = Math.max(max, vs[i]);
                        sum += vs[i];
                    }
                    for (int i = from + 1; i < to; i++) {
                        min = BlockStats.min(min, vs[i]);
                    }
                    assertThat(Double.doubleToRawLongBits(t.min(b))).as("min of block %d", b).isEqualTo(Double.doubleToRawLongBits(min));
                    assertThat(Double.doubleToRawLongBits(t.max(b))).as("max of block %d", b).isEqualTo(Double.doubleToRawLongBits(max));
                    assertThat(Double.doubleToRawLongBits(t.sum(b))).as("sum of block %d", b).isEqualTo(Double.doubleToRawLongBits(sum));
                }
            } finally {
                r.unref();
            }
        } finally {
            SmallFileSystem.deleteTree(dir);
        }
    }
}
