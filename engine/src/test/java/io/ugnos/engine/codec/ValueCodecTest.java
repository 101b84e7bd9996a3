package io.ugnos.engine.codec;

import static io.ugnos.engine.codec.CodecAssertions.roundTripValues;
import static io.ugnos.engine.codec.ValueCodec.DECIMAL;
import static io.ugnos.engine.codec.ValueCodec.GORILLA;
import static io.ugnos.engine.codec.ValueCodec.RAW;
import static io.ugnos.engine.codec.ValueCodec.SPLIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueCodecTest {
    private static final double NAN_PAYLOAD = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
    private static final double NAN_QUIET_PAYLOAD = Double.longBitsToDouble(0x7FF8_DEAD_BEEF_0000L);
    private static final double NAN_NEGATIVE = Double.longBitsToDouble(0xFFFF_FFFF_FFFF_FFFFL);

    static Stream<Arguments> edgeSeries() {
        Random r = new Random(7);
        double[] specials = {Double.NaN, NAN_PAYLOAD, NAN_QUIET_PAYLOAD, NAN_NEGATIVE, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.MIN_NORMAL, 1.0, -1.0};
        double[] walkWithSpecials = CodecTestData.realWalk(r, 2000);
        for (int i = 0; i < walkWithSpecials.length; i += 97) {
            walkWithSpecials[i] = specials[i % specials.length];
        }
        double[] integersWithNegativeZero = CodecTestData.integerWalk(r, 500);
        integersWithNegativeZero[250] = -0.0;
        double[] randomBits = new double[3000];
        for (int i = 0; i < randomBits.length; i++) {
            randomBits[i] = Double.longBitsToDouble(r.nextLong());
        }
        return Stream.of(
                Arguments.of("one value", new double[] {42.5}),
                Arguments.of("one NaN", new double[] {NAN_QUIET_PAYLOAD}),
                Arguments.of("one -0.0", new double[] {-0.0}),
                Arguments.of("two values", new double[] {1.5, -2.25}),
                Arguments.of("specials", specials),
                Arguments.of("NaN payloads only", new double[] {Double.NaN, NAN_PAYLOAD, NAN_QUIET_PAYLOAD, NAN_NEGATIVE, Double.NaN}),
                Arguments.of("zeros of both signs", new double[] {0.0, -0.0, 0.0, -0.0, -0.0}),
                Arguments.of("subnormals", new double[] {Double.MIN_VALUE, 2 * Double.MIN_VALUE, Double.MIN_NORMAL / 3, 0.0}),
                Arguments.of("constant", new double[] {3.25, 3.25, 3.25, 3.25}),
                Arguments.of("big constant", filled(10_000, 0.1)),
                Arguments.of("big integer walk", CodecTestData.integerWalk(r, 10_000)),
                Arguments.of("big real walk", CodecTestData.realWalk(r, 10_000)),
                Arguments.of("big decimal walk", CodecTestData.decimalWalk(r, 10_000, 3)),
                Arguments.of("integers with -0.0", integersWithNegativeZero),
                Arguments.of("walk with specials", walkWithSpecials),
                Arguments.of("random bits", randomBits),
                Arguments.of("large integers", new double[] {(1L << 52) - 1, -(1L << 52) + 1, 0, 1e15, -1e15}),
                Arguments.of("beyond 2^52", new double[] {1L << 52, (1L << 53) + 2, 1e300, -1e-300}));
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeSeries")
    void everyCodecRoundTrips(String name, double[] values) {
        int auto = roundTripValues(values).length;
        int smallest = Integer.MAX_VALUE;
        for (int codec : new int[] {RAW, GORILLA, DECIMAL, SPLIT}) {
            byte[] forced = roundTripValues(codec, values);
            if (forced != null) {
                smallest = Math.min(smallest, forced.length);
            }
        }
        assertThat(auto).as("automatic choice is the smallest").isEqualTo(smallest);
        assertThat(auto).isLessThanOrEqualTo(1 + 8 * values.length);
    }

    @Test
    void decimalAppliesOnlyToExactDecimals() {
        assertThat(roundTripValues(DECIMAL, new double[] {0.1, 0.2, 0.3, 12.345})).isNotNull();
        assertThat(roundTripValues(DECIMAL, new double[] {1, 2, -0.0})).as("-0.0").isNull();
        assertThat(roundTripValues(DECIMAL, new double[] {1, Double.NaN})).isNull();
        assertThat(roundTripValues(DECIMAL, new double[] {Double.POSITIVE_INFINITY})).isNull();
        assertThat(roundTripValues(DECIMAL, new double[] {0.1 + 0.2})).as("17 significant digits").isNull();
        assertThat(roundTripValues(DECIMAL, new double[] {Math.PI})).as("16 digits fit under 2^52").isNotNull();
        assertThat(roundTripValues(DECIMAL, new double[] {1L << 52})).isNull();
        assertThat(roundTripValues(DECIMAL, new double[] {Double.MIN_VALUE})).isNull();
        byte[] cents = roundTripValues(DECIMAL, new double[] {19.99, 20.01, 0.05});
        assertThat(cents[1]).as("exponent").isEqualTo((byte) 2);
    }

    @Test
    void choosesTheExpectedCodec() {
        Random r = new Random(11);
        assertThat(roundTripValues(CodecTestData.integerWalk(r, 1000))[0]).isEqualTo((byte) DECIMAL);
        assertThat(roundTripValues(CodecTestData.realWalk(r, 1000))[0]).isEqualTo((byte) SPLIT);
        double[] randomBits = new double[1000];
        for (int i = 0; i < randomBits.length; i++) {
            randomBits[i] = Double.longBitsToDouble(r.nextLong());
        }
        assertThat(roundTripValues(randomBits)[0]).isEqualTo((byte) RAW);
        double[] rarelyChanging = filled(1000, Math.PI);
        rarelyChanging[400] = Math.E;
        assertThat(roundTripValues(rarelyChanging)[0]).isEqualTo((byte) GORILLA);
    }

    @Test
    void splitStoresRareLeftPartsAsExceptions() {
        double[] v = CodecTestData.realWalk(new Random(12), 1000);
        v[10] = -1e200;
        v[900] = 1e-200;
        byte[] bytes = roundTripValues(SPLIT, v);
        int dictBits = bytes[2];
        int exceptionsPos = 3 + 2 * (1 << dictBits);
        assertThat(bytes[exceptionsPos]).as("exception count").isGreaterThanOrEqualTo((byte) 2);
    }

    @Test
    void rejectsBadArguments() {
        EncodeBuffer out = new EncodeBuffer(0);
        assertThatThrownBy(() -> ValueCodec.encode(new double[1], 0, 0, out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ValueCodec.encode(new double[2], 1, 2, out)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ValueCodec.encode(99, new double[2], 0, 2, out)).isInstanceOf(IllegalArgumentException.class);
        ValueCodec.encode(new double[] {1, 2}, 0, 2, out);
        byte[] b = out.array();
        int size = out.size();
        assertThatThrownBy(() -> ValueCodec.decode(b, 0, size, -1, new double[2], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> ValueCodec.decode(b, 2, 1, 2, new double[2], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> ValueCodec.decode(b, 0, size, 2, new double[2], 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ValueCodec.decode(new byte[] {(byte) 200}, 0, 1, 1, new double[1], 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("unknown value codec id 200");
    }

    @Test
    void everyTruncationFailsCleanly() {
        Random r = new Random(13);
        double[][] inputs = {CodecTestData.realWalk(r, 300), CodecTestData.decimalWalk(r, 300, 2)};
        for (double[] v : inputs) {
            for (int codec : new int[] {RAW, GORILLA, DECIMAL, SPLIT}) {
                EncodeBuffer out = new EncodeBuffer(0);
                if (!ValueCodec.encode(codec, v, 0, v.length, out)) {
                    continue;
                }
                for (int limit = 0; limit < out.size(); limit++) {
                    int l = limit;
                    assertThatThrownBy(() -> ValueCodec.decode(out.array(), 0, l, v.length, new double[v.length], 0))
                            .as("codec %d cut to %d of %d bytes", codec, limit, out.size())
                            .isInstanceOf(CodecException.class);
                }
            }
        }
    }
}
