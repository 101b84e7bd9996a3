package io.ugnos.engine.codec;

import static io.ugnos.engine.codec.CodecAssertions.roundTripTimestamps;
import static io.ugnos.engine.codec.TimestampCodec.DELTA_FOR;
import static io.ugnos.engine.codec.TimestampCodec.DOD;
import static io.ugnos.engine.codec.TimestampCodec.REGULAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TimestampCodecTest {
    static Stream<Arguments> edgeSeries() {
        long max = Long.MAX_VALUE;
        long min = Long.MIN_VALUE;
        Random r = new Random(42);
        long[] big = CodecTestData.jitteredTimestamps(r, 10_000, 2_000_000);
        long[] bigRandom = r.longs(10_000).toArray();
        return Stream.of(
                Arguments.of("one point", new long[] {123}),
                Arguments.of("one extreme point", new long[] {min}),
                Arguments.of("two points", new long[] {5, -7}),
                Arguments.of("two extremes", new long[] {min, max}),
                Arguments.of("equal", new long[] {9, 9, 9, 9, 9}),
                Arguments.of("descending", new long[] {100, 90, 85, 60, -3, -1000}),
                Arguments.of("regular descending", new long[] {30, 20, 10, 0, -10}),
                Arguments.of("extremes", new long[] {min, max, min, max, 0, -1, 1, min + 1, max - 1}),
                Arguments.of("wrapping regular", new long[] {max - 1, max, min, min + 1}),
                Arguments.of("huge jumps", new long[] {0, max, 0, min, 1, max}),
                Arguments.of("each dod bucket", new long[] {0, 10, 20, 30 + 100, 40 + 100, 50 + 30_000,
                        60 + 30_000, 70 + 8_000_000, 80, 90 + 2_000_000_000L, 100, 110 + (1L << 40), 120}),
                Arguments.of("bucket borders", bucketBorders()),
                Arguments.of("big jittered", big),
                Arguments.of("big random", bigRandom),
                Arguments.of("big regular", CodecTestData.regularTimestamps(10_000)));
    }

    /** Delta-of-deltas right at the limits of each bucket. */
    private static long[] bucketBorders() {
        long[] dods = {0, 127, -128, 128, -129, 32767, -32768, 32768, -32769, (1 << 23) - 1, -(1 << 23),
                1 << 23, -(1 << 23) - 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L,
                Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE};
        long[] ts = new long[dods.length + 2];
        long delta = 1000;
        ts[1] = delta;
        for (int i = 0; i < dods.length; i++) {
            delta += dods[i];
            ts[i + 2] = ts[i + 1] + delta;
        }
        return ts;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeSeries")
    void everyCodecRoundTrips(String name, long[] ts) {
        roundTripTimestamps(ts);
        roundTripTimestamps(DOD, ts);
        roundTripTimestamps(DELTA_FOR, ts);
        if (RegularTimestamps.applies(ts, 0, ts.length)) {
            roundTripTimestamps(REGULAR, ts);
        }
    }

    @Test
    void regularSeriesUseRegular() {
        for (long[] ts : new long[][] {{1}, {1, 2}, {Long.MIN_VALUE, Long.MAX_VALUE}, {7, 7, 7},
                {10, 0, -10}, CodecTestData.regularTimestamps(1000)}) {
            byte[] bytes = roundTripTimestamps(ts);
            assertThat(bytes[0]).isEqualTo((byte) REGULAR);
            assertThat(bytes.length).isLessThanOrEqualTo(1 + 8 + 10);
        }
    }

    @Test
    void choosesTheSmallerOfDodAndDeltaFor() {
        // mostly regular with rare hiccups: delta-of-delta's one-bit zeros win
        long[] hiccups = CodecTestData.regularTimestamps(1000);
        hiccups[500] += 1_234_567;
        assertThat(roundTripTimestamps(hiccups)[0]).isEqualTo((byte) DOD);
        // millisecond jitter on a nanosecond clock: the common divisor makes packed deltas win
        long[] ms = CodecTestData.millisecondJitterTimestamps(new Random(3), 1000, 5);
        assertThat(roundTripTimestamps(ms)[0]).isEqualTo((byte) DELTA_FOR);
        for (long[] ts : new long[][] {hiccups, ms, CodecTestData.jitteredTimestamps(new Random(4), 1000, 1_000_000)}) {
            int auto = roundTripTimestamps(ts).length;
            assertThat(auto).isEqualTo(Math.min(roundTripTimestamps(DOD, ts).length, roundTripTimestamps(DELTA_FOR, ts).length));
        }
    }

    @Test
    void encodeOffsetRangeIsHonoured() {
        long[] ts = {99, 1, 2, 4, 8, 99};
        EncodeBuffer out = new EncodeBuffer(0);
        TimestampCodec.encode(ts, 1, 4, out);
        long[] dst = new long[4];
        assertThat(TimestampCodec.decode(out.array(), 0, out.size(), 4, dst, 0)).isEqualTo(out.size());
        assertThat(dst).containsExactly(1, 2, 4, 8);
    }

    @Test
    void rejectsBadArguments() {
        EncodeBuffer out = new EncodeBuffer(0);
        assertThatThrownBy(() -> TimestampCodec.encode(new long[1], 0, 0, out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimestampCodec.encode(new long[1], 1, 1, out)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TimestampCodec.encode(REGULAR, new long[] {1, 2, 4}, 0, 3, out))
                .isInstanceOf(IllegalArgumentException.class);
        TimestampCodec.encode(new long[] {1, 2}, 0, 2, out);
        byte[] b = out.array();
        int size = out.size();
        assertThatThrownBy(() -> TimestampCodec.decode(b, 0, size, 0, new long[2], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> TimestampCodec.decode(b, -1, size, 2, new long[2], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> TimestampCodec.decode(b, 0, b.length + 1, 2, new long[2], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> TimestampCodec.decode(b, 0, size, 2, new long[1], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TimestampCodec.decode(b, 0, 0, 2, new long[2], 0)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> TimestampCodec.decode(new byte[] {0, 0, 0}, 0, 3, 1, new long[1], 0))
                .isInstanceOf(CodecException.class).hasMessageContaining("unknown timestamp codec id 0");
    }

    @Test
    void everyTruncationFailsCleanly() {
        long[] ts = CodecTestData.jitteredTimestamps(new Random(5), 300, 3_000_000);
        for (int codec : new int[] {DOD, DELTA_FOR}) {
            EncodeBuffer out = new EncodeBuffer(0);
            TimestampCodec.encode(codec, ts, 0, ts.length, out);
            for (int limit = 0; limit < out.size(); limit++) {
                int l = limit;
                assertThatThrownBy(() -> TimestampCodec.decode(out.array(), 0, l, ts.length, new long[ts.length], 0))
                        .as("codec %d cut to %d of %d bytes", codec, limit, out.size())
                        .isInstanceOf(CodecException.class);
            }
        }
    }
}
