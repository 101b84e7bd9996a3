package io.ugnos.engine.segment;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocks are cut at epoch-aligned span boundaries, once they hold {@code minSpanPoints}, as well as
 * at the point limit: a block enters a new span only while it holds fewer points, no block is cut
 * anywhere else, every point reads back, and each block's header holds its
 * statistics (NaN-aware min/max as {@link BlockStats} orders them).
 */
class BlockSpanPropertiesTest {

    @Property(tries = 200)
    void blocksEndAtSpanBoundariesOnceFullEnoughAndNowhereElse(@ForAll long seed,
                                                               @ForAll @IntRange(min = 1, max = 300) int maxBlockPoints,
                                                               @ForAll @LongRange(min = 0, max = 5_000) long span,
                                                               @ForAll @IntRange(min = 1, max = 40) int minSpanPoints,
                                                               @ForAll @IntRange(min = 0, max = 3) int origin) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        // timestamps near zero, near both ends of the long range, or anywhere: the span arithmetic must not wrap
        long base = switch (origin) {
            case 0 -> -2_000;
            case 1 -> Long.MIN_VALUE;
            case 2 -> Long.MAX_VALUE - 40_000;
            default -> rnd.nextLong();
        };
        TreeMap<Long, Double> points = new TreeMap<>();
        long t = base;
        int n = rnd.nextInt(1, 2_000);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(20);
            // NaN, signed zeros and infinities sometimes: the header's min/max follow BlockStats' order
            points.put(t, kind == 0 ? Double.NaN : kind == 1 ? -0.0 : kind == 2 ? 0.0
                    : kind == 3 ? Double.NEGATIVE_INFINITY : rnd.nextDouble(-5, 5));
            long step = 1 + rnd.nextLong(rnd.nextBoolean() ? 20 : 2_000);
            if (t > Long.MAX_VALUE - step) {
                break;
            }
            t += step;
        }
        long[] ts = points.keySet().stream().mapToLong(Long::longValue).toArray();
        double[] vs = points.values().stream().mapToDouble(Double::doubleValue).toArray();

        Path dir = Files.createTempDirectory("ugnos-span");
        try {
            Path file;
            try (SegmentWriter w = new SegmentWriter(dir, 1, maxBlockPoints, span, minSpanPoints)) {
                w.beginSeries("s");
                // in pieces, as a flush streams a long run
                for (int off = 0; off < ts.length; ) {
                    int len = Math.min(ts.length - off, rnd.nextInt(1, 500));
                    w.append(3, ts, vs, off, len);
                    off += len;
                }
                w.endSeries();
                file = w.finish().file();
            }
            SegmentReader r = SegmentReader.open(file, 1);
            BlockTable b = r.blocks();
            DecodedBlock d = new DecodedBlock();
            int read = 0;
            for (int k = 0; k < b.size(); k++) {
                assertThat(b.count(k)).isBetween(1, maxBlockPoints);
                if (k + 1 < b.size() && b.count(k) < maxBlockPoints) {
                    // a block is cut short only where the next point opens a new span, and once it holds enough
                    assertThat(span).isPositive();
                    assertThat(b.count(k)).isGreaterThanOrEqualTo(minSpanPoints);
                    assertThat(spanOf(b.minTs(k + 1), span)).isNotEqualTo(spanOf(b.maxTs(k), span));
                }
                r.readBlock(k, d, true, true);
                if (span > 0) {
                    // a block enters a new span only while it holds fewer than minSpanPoints points
                    for (int i = minSpanPoints; i < d.size; i++) {
                        assertThat(spanOf(d.ts[i], span)).as("block %d point %d", k, i).isEqualTo(spanOf(d.ts[i - 1], span));
                    }
                }
                double min = d.values[0];
                double max = d.values[0];
                double sum = 0;
                for (int i = 0; i < d.size; i++) {
                    min = BlockStats.min(min, d.values[i]);
                    max = BlockStats.max(max, d.values[i]);
                    sum += d.values[i];
                }
                assertThat(Double.doubleToRawLongBits(b.min(k))).as("min").isEqualTo(Double.doubleToRawLongBits(min));
                assertThat(Double.doubleToRawLongBits(b.max(k))).as("max").isEqualTo(Double.doubleToRawLongBits(max));
                assertThat(Double.valueOf(b.sum(k))).as("sum").isEqualTo(Double.valueOf(sum));
                assertThat(Double.doubleToRawLongBits(b.first(k))).isEqualTo(Double.doubleToRawLongBits(d.values[0]));
                assertThat(Double.doubleToRawLongBits(b.last(k))).isEqualTo(Double.doubleToRawLongBits(d.values[d.size - 1]));
                for (int i = 0; i < d.size; i++) {
                    assertThat(d.ts[i]).isEqualTo(ts[read]);
                    assertThat(Double.doubleToRawLongBits(d.values[i])).isEqualTo(Double.doubleToRawLongBits(vs[read]));
                    read++;
                }
            }
            assertThat(read).isEqualTo(ts.length);
            r.unref();
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * The last span of the long range: with a span of 5 it is [MAX-2, MAX] and has no successor, so
     * a point at {@code Long.MAX_VALUE} stays in its block (it was cut off when "no next span" was
     * written as a next start of {@code Long.MAX_VALUE}); with a span of 7, which divides
     * {@code Long.MAX_VALUE}, that instant opens a span of its own.
     */
    @net.jqwik.api.Example
    void theLastInstantOfTheLongRange() throws IOException {
        long m = Long.MAX_VALUE;
        assertThat(blockCounts(new long[]{m - 3, m - 2, m - 1, m}, 5)).containsExactly(1, 3);
        assertThat(blockCounts(new long[]{m - 2, m - 1, m}, 7)).containsExactly(2, 1);
        assertThat(blockCounts(new long[]{m - 1, m}, 0)).containsExactly(2);
    }

    private static java.util.List<Integer> blockCounts(long[] ts, long span) throws IOException {
        Path dir = Files.createTempDirectory("ugnos-span-end");
        try {
            Path file;
            try (SegmentWriter w = new SegmentWriter(dir, 1, 100, span, 1)) {
                w.beginSeries("s");
                w.append(0, ts, new double[ts.length], 0, ts.length);
                w.endSeries();
                file = w.finish().file();
            }
            SegmentReader r = SegmentReader.open(file, 1);
            java.util.List<Integer> counts = new java.util.ArrayList<>();
            for (int k = 0; k < r.blocks().size(); k++) {
                counts.add(r.blocks().count(k));
            }
            r.unref();
            return counts;
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The index of the epoch-aligned span holding {@code t}, computed exactly. */
    private static java.math.BigInteger spanOf(long t, long span) {
        java.math.BigInteger[] qr = java.math.BigInteger.valueOf(t).divideAndRemainder(java.math.BigInteger.valueOf(span));
        return qr[1].signum() < 0 ? qr[0].subtract(java.math.BigInteger.ONE) : qr[0];
    }
}
