package io.ugnos.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compression on representative data, in blocks of 1024 points as the segment writer cuts them.
 * The bounds are the design targets; the measured figures are printed for docs/formats.md.
 */
class CompressionSizeTest {
    private static final int BLOCK = 1024;
    private static final int BLOCKS = 50;

    @Test
    void regularTenSecondNanosecondTimestamps() {
        long[] ts = CodecTestData.regularTimestamps(1000);
        double perPoint = CodecAssertions.roundTripTimestamps(ts).length / 1000.0;
        report("regular 10 s timestamps (ns), 1000 points", perPoint);
        assertThat(perPoint).isLessThan(0.1);
    }

    @Test
    void jitteredTimestamps() {
        Random r = new Random(20);
        double perPoint = timestampBytesPerPoint(() -> CodecTestData.jitteredTimestamps(r, BLOCK, 1_000_000));
        report("10 s timestamps, +-1 ms uniform jitter (ns)", perPoint);
        assertThat(perPoint).isLessThan(3.0);
        double ms = timestampBytesPerPoint(() -> CodecTestData.millisecondJitterTimestamps(r, BLOCK, 5));
        report("10 s timestamps, +-5 whole ms jitter (ns)", ms);
        assertThat(ms).isLessThan(0.7);
    }

    @Test
    void tsbsLikeIntegerRandomWalk() {
        Random r = new Random(21);
        double perValue = valueBytesPerPoint(() -> CodecTestData.integerWalk(r, BLOCK));
        report("TSBS integer walk: N(0, 1) walk in [0, 100], truncated", perValue);
        assertThat(perValue).isLessThan(1.0);
    }

    @Test
    void realRandomWalkClampedToHundred() {
        Random r = new Random(22);
        double perValue = valueBytesPerPoint(() -> CodecTestData.realWalk(r, BLOCK));
        report("real random walk in [0, 100], N(0, 1) steps", perValue);
        assertThat(perValue).isLessThan(7.2);
    }

    @Test
    void decimalRandomWalk() {
        Random r = new Random(23);
        double perValue = valueBytesPerPoint(() -> CodecTestData.decimalWalk(r, BLOCK, 2));
        report("2-decimal random walk, steps -1.00..1.00", perValue);
        assertThat(perValue).isLessThan(1.2);
    }

    private static double timestampBytesPerPoint(java.util.function.Supplier<long[]> block) {
        long bytes = 0;
        for (int b = 0; b < BLOCKS; b++) {
            bytes += CodecAssertions.roundTripTimestamps(block.get()).length;
        }
        return bytes / (double) (BLOCKS * BLOCK);
    }

    private static double valueBytesPerPoint(java.util.function.Supplier<double[]> block) {
        long bytes = 0;
        for (int b = 0; b < BLOCKS; b++) {
            bytes += CodecAssertions.roundTripValues(block.get()).length;
        }
        return bytes / (double) (BLOCKS * BLOCK);
    }

    private static void report(String what, double bytesPerPoint) {
        System.out.printf("[codec size] %-56s %.4f bytes/point%n", what, bytesPerPoint);
    }
}
