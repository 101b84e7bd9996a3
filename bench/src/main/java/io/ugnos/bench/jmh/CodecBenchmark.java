package io.ugnos.bench.jmh;

import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.codec.TimestampCodec;
import io.ugnos.engine.codec.ValueCodec;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode throughput of the block codecs on blocks of 1024 points, reported in points per
 * microsecond (millions of points per second). Each state cycles through 64 different blocks so the
 * branch predictor cannot learn one block by heart.
 *
 * <p>Run after {@code ./mvnw -q -pl bench -am package -DskipTests}:
 * <pre>
 * java -cp bench/target/classes:engine/target/classes:$JMH_CORE:$JOPT_SIMPLE:$COMMONS_MATH3 \
 *     org.openjdk.jmh.Main CodecBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(CodecBenchmark.BLOCK)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {
    static final int BLOCK = 1024;
    static final int BLOCKS = 64;
    static final long SECOND_NS = 1_000_000_000L;
    static final long EPOCH_NS = 1_704_067_200L * SECOND_NS;

    @State(Scope.Thread)
    public static class Timestamps {
        /** regular: every 10 s exactly; jittered: plus uniform noise of up to +-1 ms (nanosecond clock). */
        @Param({"regular", "jittered"})
        public String shape;

        long[][] blocks = new long[BLOCKS][];
        byte[] encoded;
        int[] offsets = new int[BLOCKS + 1];
        final EncodeBuffer out = new EncodeBuffer(1 << 16);
        final long[] dst = new long[BLOCK];
        int next;

        @Setup
        public void setUp() {
            Random r = new Random(1);
            EncodeBuffer all = new EncodeBuffer(1 << 16);
            for (int b = 0; b < BLOCKS; b++) {
                long[] ts = new long[BLOCK];
                long start = EPOCH_NS + (long) b * BLOCK * 10 * SECOND_NS;
                for (int i = 0; i < BLOCK; i++) {
                    long jitter = shape.equals("jittered") ? (long) ((r.nextDouble() * 2 - 1) * 1_000_000) : 0;
                    ts[i] = start + i * 10 * SECOND_NS + jitter;
                }
                blocks[b] = ts;
                offsets[b] = all.size();
                TimestampCodec.encode(ts, 0, BLOCK, all);
            }
            offsets[BLOCKS] = all.size();
            encoded = java.util.Arrays.copyOf(all.array(), all.size());
        }

        int nextBlock() {
            next = (next + 1) & (BLOCKS - 1);
            return next;
        }
    }

    @State(Scope.Thread)
    public static class Values {
        /**
         * integerWalk: TSBS's gauge, a normal(0, 1) random walk in [0, 100] truncated to integers;
         * realWalk: the same walk at full precision.
         */
        @Param({"integerWalk", "realWalk"})
        public String shape;

        double[][] blocks = new double[BLOCKS][];
        byte[] encoded;
        int[] offsets = new int[BLOCKS + 1];
        final EncodeBuffer out = new EncodeBuffer(1 << 16);
        final double[] dst = new double[BLOCK];
        int next;

        @Setup
        public void setUp() {
            Random r = new Random(2);
            EncodeBuffer all = new EncodeBuffer(1 << 16);
            double walk = r.nextDouble() * 100;
            for (int b = 0; b < BLOCKS; b++) {
                double[] v = new double[BLOCK];
                for (int i = 0; i < BLOCK; i++) {
                    walk = Math.max(0, Math.min(100, walk + r.nextGaussian()));
                    v[i] = shape.equals("integerWalk") ? (long) walk : walk;
                }
                blocks[b] = v;
                offsets[b] = all.size();
                ValueCodec.encode(v, 0, BLOCK, all);
            }
            offsets[BLOCKS] = all.size();
            encoded = java.util.Arrays.copyOf(all.array(), all.size());
        }

        int nextBlock() {
            next = (next + 1) & (BLOCKS - 1);
            return next;
        }
    }

    @Benchmark
    public int encodeTimestamps(Timestamps s) {
        s.out.clear();
        TimestampCodec.encode(s.blocks[s.nextBlock()], 0, BLOCK, s.out);
        return s.out.size();
    }

    @Benchmark
    public long decodeTimestamps(Timestamps s) {
        int b = s.nextBlock();
        TimestampCodec.decode(s.encoded, s.offsets[b], s.offsets[b + 1], BLOCK, s.dst, 0);
        return s.dst[BLOCK - 1];
    }

    @Benchmark
    public int encodeValues(Values s) {
        s.out.clear();
        ValueCodec.encode(s.blocks[s.nextBlock()], 0, BLOCK, s.out);
        return s.out.size();
    }

    @Benchmark
    public double decodeValues(Values s) {
        int b = s.nextBlock();
        ValueCodec.decode(s.encoded, s.offsets[b], s.offsets[b + 1], BLOCK, s.dst, 0);
        return s.dst[BLOCK - 1];
    }
}
