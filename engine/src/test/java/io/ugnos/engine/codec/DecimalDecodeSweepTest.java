package io.ugnos.engine.codec;

import org.junit.jupiter.api.Test;
import java.util.Arrays;
import java.util.Random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DECIMAL decoding against a reference, stream by stream: every delta width 0–54 (one field always
 * at full width), every length 1–90 (so every remainder after the eight-field groups), exponents
 * 0–3 and 18, with the stream ending at the array's end, followed by other bytes (as a block's CRC
 * follows its values), and cut short (which must fail as a CodecException, never read past the
 * limit). Then random bytes must fail cleanly too.
 */
class DecimalDecodeSweepTest {
    static final double[] P = {1, 10, 100, 1000, 1e18};
    static final int[] ES = {0, 1, 2, 3, 18};

    @Test
    void everyWidthAndLengthDecodesAsTheReference() {
        Random r = new Random(42);
        for (int width = 0; width <= 54; width++) {
            for (int n = 1; n <= 90; n++) {
                for (int ei = 0; ei < ES.length; ei++) {
                    int e = ES[ei];
                    long m0 = r.nextInt(1 << 20) - (1 << 19);
                    long minDelta = r.nextInt(200) - 100;
                    long mask = width == 64 ? -1 : (1L << width) - 1;
                    long[] m = new long[n];
                    m[0] = m0;
                    long[] fields = new long[n];
                    for (int i = 1; i < n; i++) {
                        fields[i] = r.nextLong() & mask;
                        if (i == 1) fields[i] = mask; // full width
                        m[i] = m[i - 1] + minDelta + fields[i];
                    }
                    EncodeBuffer out = new EncodeBuffer(16);
                    out.writeByte(e);
                    out.writeVarLong(ByteInput.zigzag(m0));
                    out.writeVarLong(ByteInput.zigzag(minDelta));
                    out.writeByte(width);
                    out.writePackedDeltas(m, n, minDelta, width);
                    byte[] tight = Arrays.copyOf(out.array(), out.size());
                    double[] want = new double[n];
                    for (int i = 0; i < n; i++) want[i] = e == 0 ? (double) m[i] : m[i] / P[ei];
                    // tight array
                    double[] dst = new double[n + 3];
                    assertThat(DecimalValues.decode(tight, 0, tight.length, n, dst, 2)).isEqualTo(tight.length);
                    CodecAssertions.assertBitsEqual(want, Arrays.copyOfRange(dst, 2, n + 2));
                    // garbage after limit, limit = tight end (as in a block: CRC follows)
                    for (int extra : new int[]{1, 3, 7, 8, 9, 20}) {
                        byte[] pad = new byte[tight.length + extra];
                        r.nextBytes(pad);
                        System.arraycopy(tight, 0, pad, 0, tight.length);
                        Arrays.fill(dst, 0);
                        assertThat(DecimalValues.decode(pad, 0, tight.length, n, dst, 2)).isEqualTo(tight.length);
                        CodecAssertions.assertBitsEqual(want, Arrays.copyOfRange(dst, 2, n + 2));
                        // limit beyond data over garbage
                        assertThat(DecimalValues.decode(pad, 0, pad.length, n, dst, 2)).isEqualTo(tight.length);
                        CodecAssertions.assertBitsEqual(want, Arrays.copyOfRange(dst, 2, n + 2));
                    }
                    // truncated: must throw CodecException, never AIOOBE
                    for (int cut = 1; cut <= Math.min(tight.length, 10); cut++) {
                        byte[] t = Arrays.copyOf(tight, tight.length - cut);
                        int c = cut;
                        try {
                            DecimalValues.decode(t, 0, t.length, n, dst, 2);
                            // a cut stream that needed packed bytes never decodes
                            assertThat(((long) (n - 1) * width + 7) / 8).as("w=%d n=%d cut=%d", width, n, c).isZero();
                        } catch (CodecException ok) {
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomBytesFailOnlyAsCodecException() {
        Random r = new Random(7);
        double[] dst = new double[300];
        for (int it = 0; it < 300_000; it++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            if (b.length > 0) b[0] = (byte) r.nextInt(19);
            if (b.length > 3) b[3] = (byte) r.nextInt(9); // often width <= 8 (if varlongs are 1 byte)
            int n = 1 + r.nextInt(200);
            int limit = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            try {
                DecimalValues.decode(b, 0, limit, n, dst, 1);
            } catch (CodecException ok) {
            }
        }
    }
}
