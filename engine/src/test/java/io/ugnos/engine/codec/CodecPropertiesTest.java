package io.ugnos.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips on generated series, and decoders fed garbage. */
class CodecPropertiesTest {

    // ---- round trips -------------------------------------------------------------------------

    @Property(tries = 300)
    void arbitraryTimestampsRoundTrip(@ForAll @Size(min = 1, max = 300) long[] ts) {
        CodecAssertions.roundTripTimestamps(ts);
        CodecAssertions.roundTripTimestamps(TimestampCodec.DOD, ts);
        CodecAssertions.roundTripTimestamps(TimestampCodec.DELTA_FOR, ts);
    }

    @Property(tries = 300)
    void shapedTimestampsRoundTrip(@ForAll("shapedTimestamps") long[] ts) {
        CodecAssertions.roundTripTimestamps(ts);
        CodecAssertions.roundTripTimestamps(TimestampCodec.DOD, ts);
        CodecAssertions.roundTripTimestamps(TimestampCodec.DELTA_FOR, ts);
    }

    @Property(tries = 300)
    void arbitraryDoublesRoundTrip(@ForAll @Size(min = 1, max = 300) double[] values) {
        roundTripAllValueCodecs(values);
    }

    @Property(tries = 300)
    void shapedDoublesRoundTrip(@ForAll("shapedValues") double[] values) {
        roundTripAllValueCodecs(values);
    }

    /**
     * DECIMAL at every delta width and length, so that both of its unpacking loops (eight fields per
     * load up to 8 bits, one load per field beyond) and their hand-over are covered, whatever the
     * exponent.
     */
    @Property(tries = 600)
    void decimalsOfEveryDeltaWidthRoundTrip(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 40) int width, @ForAll @IntRange(min = 0, max = 3) int exponent) {
        Random r = new Random(seed);
        double scale = Math.pow(10, exponent);
        double[] v = new double[n];
        long m = r.nextInt(1 << 20) - (1 << 19);
        long span = 1L << width; // deltas in [-span/2, span/2): the packed fields are up to `width` bits wide
        for (int i = 0; i < n; i++) {
            v[i] = m / scale;
            m += width == 0 ? 0 : (r.nextLong() & (span - 1)) - span / 2;
        }
        assertThat(CodecAssertions.roundTripValues(ValueCodec.DECIMAL, v)).as("DECIMAL applies").isNotNull();
    }

    private static void roundTripAllValueCodecs(double[] values) {
        int auto = CodecAssertions.roundTripValues(values).length;
        for (int codec = ValueCodec.RAW; codec <= ValueCodec.SPLIT; codec++) {
            byte[] forced = CodecAssertions.roundTripValues(codec, values);
            if (forced != null) {
                assertThat(auto).isLessThanOrEqualTo(forced.length);
            }
        }
    }

    /** Series shaped to hit every timestamp codec and bucket, from a random seed and length. */
    @Provide
    Arbitrary<long[]> shapedTimestamps() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 1200),
                Arbitraries.integers().between(0, 7)).as(CodecPropertiesTest::timestamps);
    }

    private static long[] timestamps(long seed, int n, int kind) {
        Random r = new Random(seed);
        long start = r.nextInt(4) == 0 ? r.nextLong() : CodecTestData.EPOCH_NS;
        long step = r.nextInt(4) == 0 ? r.nextLong() : (1 + r.nextInt(60)) * CodecTestData.SECOND_NS;
        long[] ts = new long[n];
        long t = start;
        for (int i = 0; i < n; i++) {
            ts[i] = t;
            long jitter = switch (kind) {
                case 0 -> 0; // regular
                case 1 -> r.nextInt(50) == 0 ? r.nextInt(1 << 20) : 0; // rare hiccups
                case 2 -> (long) (r.nextGaussian() * 1_000_000); // microsecond-ish jitter
                case 3 -> (r.nextInt(21) - 10) * 1_000_000L; // whole milliseconds
                case 4 -> r.nextLong(); // anything
                case 5 -> -2 * step; // descending
                case 6 -> r.nextBoolean() ? 0 : -step; // repeated timestamps
                default -> (long) (r.nextGaussian() * (1L << r.nextInt(62))); // every bucket size
            };
            t += step + jitter;
        }
        return ts;
    }

    /** Series shaped to hit every value codec, exceptions and specials included. */
    @Provide
    Arbitrary<double[]> shapedValues() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 1200),
                Arbitraries.integers().between(0, 8)).as(CodecPropertiesTest::values);
    }

    private static final double[] SPECIALS = {Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
            Double.longBitsToDouble(0xFFF8_0000_0000_1234L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL};

    private static double[] values(long seed, int n, int kind) {
        Random r = new Random(seed);
        double[] v = switch (kind) {
            case 0 -> CodecTestData.integerWalk(r, n);
            case 1 -> CodecTestData.realWalk(r, n);
            case 2 -> CodecTestData.decimalWalk(r, n, r.nextInt(DecimalValues.MAX_EXPONENT + 1));
            case 3 -> r.doubles(n).map(d -> d * Math.pow(10, r.nextInt(40) - 20)).toArray();
            case 4 -> r.longs(n).mapToDouble(Double::longBitsToDouble).toArray();
            case 5 -> r.ints(n, 0, 3).mapToDouble(i -> i == 0 ? Math.PI : i == 1 ? 0.1 : -2.5).toArray();
            default -> CodecTestData.realWalk(r, n);
        };
        if (kind >= 6) {
            // sprinkle specials and far-away magnitudes: SPLIT exceptions, DECIMAL rejections
            int every = 2 + r.nextInt(kind == 6 ? 5 : 200);
            for (int i = r.nextInt(every); i < n; i += every) {
                v[i] = kind == 8 ? SPECIALS[r.nextInt(SPECIALS.length)] : v[i] * Math.pow(2, r.nextInt(200) - 100);
            }
        }
        return v;
    }

    // ---- garbage -----------------------------------------------------------------------------

    @Property(tries = 2000)
    void garbageNeverEscapesAsAnythingButCodecException(
            @ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 5) int forcedId) {
        if (bytes.length > 0 && forcedId > 0) {
            bytes[0] = (byte) forcedId; // get past the id check most of the time
        }
        decodeBoth(bytes, 0, bytes.length, n);
    }

    @Property(tries = 1000)
    void mutatedTimestampsFailCleanly(@ForAll("shapedTimestamps") long[] ts, @ForAll long mutationSeed) {
        EncodeBuffer out = new EncodeBuffer(0);
        TimestampCodec.encode(ts, 0, ts.length, out);
        mutateAndDecode(out, ts.length, mutationSeed);
    }

    @Property(tries = 1000)
    void mutatedValuesFailCleanly(@ForAll("shapedValues") double[] values, @ForAll long mutationSeed,
            @ForAll @IntRange(min = 1, max = 4) int codec) {
        EncodeBuffer out = new EncodeBuffer(0);
        if (!ValueCodec.encode(codec, values, 0, values.length, out)) {
            ValueCodec.encode(values, 0, values.length, out);
        }
        mutateAndDecode(out, values.length, mutationSeed);
    }

    /** Flips bits, overwrites bytes, truncates or changes the count, then decodes. */
    private static void mutateAndDecode(EncodeBuffer out, int n, long seed) {
        Random r = new Random(seed);
        byte[] bytes = java.util.Arrays.copyOf(out.array(), out.size());
        int limit = bytes.length;
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> bytes[r.nextInt(Math.min(bytes.length, 24))] = (byte) r.nextInt(256); // a header byte
            case 2 -> limit = r.nextInt(bytes.length);
            default -> n = Math.max(1, n + r.nextInt(64) - 32);
        }
        decodeBoth(bytes, 0, limit, n);
    }

    private static void decodeBoth(byte[] bytes, int pos, int limit, int n) {
        try {
            int end = TimestampCodec.decode(bytes, pos, limit, n, new long[n], 0);
            assertThat(end).isBetween(pos, limit);
        } catch (CodecException expected) {
            // fine: the only permitted failure
        }
        try {
            int end = ValueCodec.decode(bytes, pos, limit, n, new double[n], 0);
            assertThat(end).isBetween(pos, limit);
        } catch (CodecException expected) {
            // fine
        }
    }
}
