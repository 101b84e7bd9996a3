package io.ugnos.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

/** Round-trip helpers: encode after a few junk bytes, decode with the exact limit, compare bits. */
final class CodecAssertions {
    private static final int PREFIX = 3;

    private CodecAssertions() {
    }

    /** Encodes with the automatic choice, checks the round trip and returns the encoded bytes. */
    static byte[] roundTripTimestamps(long[] ts) {
        EncodeBuffer out = prefixed();
        TimestampCodec.encode(ts, 0, ts.length, out);
        return checkTimestamps(ts, out);
    }

    static byte[] roundTripTimestamps(int codec, long[] ts) {
        EncodeBuffer out = prefixed();
        TimestampCodec.encode(codec, ts, 0, ts.length, out);
        assertThat(out.array()[PREFIX] & 0xFF).isEqualTo(codec);
        return checkTimestamps(ts, out);
    }

    private static byte[] checkTimestamps(long[] ts, EncodeBuffer out) {
        byte[] bytes = java.util.Arrays.copyOf(out.array(), out.size());
        long[] dst = new long[ts.length + 2];
        int end = TimestampCodec.decode(bytes, PREFIX, bytes.length, ts.length, dst, 1);
        assertThat(end).isEqualTo(bytes.length);
        assertThat(java.util.Arrays.copyOfRange(dst, 1, ts.length + 1)).containsExactly(ts);
        // the same bytes inside a larger array with data after them: decode stops at its own end
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 16);
        new Random(1).nextBytes(padded);
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        assertThat(TimestampCodec.decode(padded, PREFIX, padded.length, ts.length, dst, 1)).isEqualTo(bytes.length);
        assertThat(java.util.Arrays.copyOfRange(dst, 1, ts.length + 1)).containsExactly(ts);
        return java.util.Arrays.copyOfRange(bytes, PREFIX, bytes.length);
    }

    static byte[] roundTripValues(double[] values) {
        EncodeBuffer out = prefixed();
        ValueCodec.encode(values, 0, values.length, out);
        return checkValues(values, out);
    }

    /** Forces a codec; returns null if it does not apply (DECIMAL on non-decimal data). */
    static byte[] roundTripValues(int codec, double[] values) {
        EncodeBuffer out = prefixed();
        if (!ValueCodec.encode(codec, values, 0, values.length, out)) {
            assertThat(out.size()).isEqualTo(PREFIX);
            return null;
        }
        assertThat(out.array()[PREFIX] & 0xFF).isEqualTo(codec);
        return checkValues(values, out);
    }

    private static byte[] checkValues(double[] values, EncodeBuffer out) {
        byte[] bytes = java.util.Arrays.copyOf(out.array(), out.size());
        double[] dst = new double[values.length + 2];
        int end = ValueCodec.decode(bytes, PREFIX, bytes.length, values.length, dst, 1);
        assertThat(end).isEqualTo(bytes.length);
        assertBitsEqual(values, java.util.Arrays.copyOfRange(dst, 1, values.length + 1));
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 16);
        new Random(1).nextBytes(padded);
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        assertThat(ValueCodec.decode(padded, PREFIX, padded.length, values.length, dst, 1)).isEqualTo(bytes.length);
        assertBitsEqual(values, java.util.Arrays.copyOfRange(dst, 1, values.length + 1));
        return java.util.Arrays.copyOfRange(bytes, PREFIX, bytes.length);
    }

    static void assertBitsEqual(double[] expected, double[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            long e = Double.doubleToRawLongBits(expected[i]);
            long a = Double.doubleToRawLongBits(actual[i]);
            if (e != a) {
                throw new AssertionError("value " + i + " of " + expected.length + ": expected bits "
                        + Long.toHexString(e) + " (" + expected[i] + ") but got " + Long.toHexString(a)
                        + " (" + actual[i] + ")");
            }
        }
    }

    private static EncodeBuffer prefixed() {
        EncodeBuffer out = new EncodeBuffer(0);
        for (int i = 0; i < PREFIX; i++) {
            out.writeByte(0xEE);
        }
        return out;
    }
}
