package io.ugnos.engine.codec;

/**
 * Encodes and decodes the values of one block. The encoding is self-describing: its first byte is
 * the codec id. Round trips are bit-exact ({@code doubleToRawLongBits} equality: NaN payloads,
 * {@code -0.0}, infinities and subnormals survive). The codecs:
 * <ul>
 *   <li>{@value #RAW} RAW: 8 bytes per value; bounds the worst case at {@code 1 + 8n} bytes.</li>
 *   <li>{@value #GORILLA} GORILLA: Facebook Gorilla XOR encoding; best for runs of repeated values.</li>
 *   <li>{@value #DECIMAL} DECIMAL (after ALP): every value is {@code m / 10^e} for one exponent and
 *       integers {@code |m| < 2^52}; stores the integers as frame-of-reference packed deltas. Integer
 *       and fixed-point gauges cost a few bits per value.</li>
 *   <li>{@value #SPLIT} SPLIT (after ALP_RD): full-precision doubles; the top 8 to 16 bits of each
 *       value go through a dictionary of up to 8 entries, the rest is packed at a fixed width.</li>
 * </ul>
 * {@link #encode} sizes every applicable codec exactly and writes the smallest. Byte layouts are in
 * docs/formats.md and in each codec's class comment.
 */
public final class ValueCodec {
    static final int RAW = 1;
    static final int GORILLA = 2;
    static final int DECIMAL = 3;
    static final int SPLIT = 4;

    private ValueCodec() {
    }

    /**
     * Appends the encoding of {@code values[off, off + n)} to {@code out}, using the codec that
     * yields the fewest bytes (on a tie the one that decodes faster).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IndexOutOfBoundsException if the range is outside {@code values}
     */
    public static void encode(double[] values, int off, int n, EncodeBuffer out) {
        Args.checkEncode(values.length, off, n);
        EncodeScratch s = out.scratch();
        int best = RAW;
        long bestSize = RawValues.size(n);
        long size = DecimalValues.analyze(values, off, n, s);
        if (size >= 0 && size < bestSize) {
            best = DECIMAL;
            bestSize = size;
        }
        // the lower bounds skip analyses that cannot win, e.g. SPLIT and GORILLA on integer gauges
        if (bestSize > SplitValues.minSize(n)) {
            size = SplitValues.analyze(values, off, n, s);
            if (size < bestSize) {
                best = SPLIT;
                bestSize = size;
            }
        }
        if (bestSize > GorillaValues.minSize(n)) {
            size = GorillaValues.size(values, off, n, bestSize);
            if (size < bestSize) {
                best = GORILLA;
            }
        }
        write(best, values, off, n, out);
    }

    /**
     * After {@link #encode} on this thread: if the block's values were integers whose minimum, maximum
     * and sum the encoder's analysis computed exactly on the way, puts them in {@code stats[0..3)} and
     * returns true. The values are bit for bit what {@code Math.min}, {@code Math.max} and a sum in
     * index order over the doubles give (integers have no NaN and no {@code -0.0}), so a block writer
     * can skip its own statistics loop; false otherwise.
     */
    public static boolean integerStats(EncodeBuffer out, double[] stats) {
        EncodeScratch s = out.scratch();
        if (!s.decIntegerStats) {
            return false;
        }
        stats[0] = s.decMin;
        stats[1] = s.decMax;
        stats[2] = s.decSum;
        return true;
    }

    /**
     * Appends the encoding with the given codec (for tests and tools).
     *
     * @return false, writing nothing, if the codec cannot represent these values (DECIMAL only)
     * @throws IllegalArgumentException if the codec is unknown
     */
    static boolean encode(int codec, double[] values, int off, int n, EncodeBuffer out) {
        Args.checkEncode(values.length, off, n);
        EncodeScratch s = out.scratch();
        switch (codec) {
            case RAW, GORILLA -> { }
            case DECIMAL -> {
                if (DecimalValues.analyze(values, off, n, s) < 0) {
                    return false;
                }
            }
            case SPLIT -> SplitValues.analyze(values, off, n, s);
            default -> throw new IllegalArgumentException("unknown value codec " + codec);
        }
        write(codec, values, off, n, out);
        return true;
    }

    private static void write(int codec, double[] values, int off, int n, EncodeBuffer out) {
        switch (codec) {
            case RAW -> RawValues.encode(values, off, n, out);
            case GORILLA -> GorillaValues.encode(values, off, n, out);
            case DECIMAL -> DecimalValues.encode(values, off, n, out);
            case SPLIT -> SplitValues.encode(values, off, n, out);
            default -> throw new AssertionError(codec);
        }
    }

    /**
     * Decodes {@code n} values encoded at {@code src[pos]} into {@code dst[dstOff, dstOff + n)}.
     * Only bytes in {@code [pos, limit)} are read. Allocates nothing.
     *
     * @return the position just after the encoded values
     * @throws CodecException if the bytes are not a valid encoding of {@code n} values within
     *         {@code [pos, limit)}, if that range is outside {@code src}, or if {@code n < 1}
     * @throws IndexOutOfBoundsException if {@code dst} has no room for {@code n} values at {@code dstOff}
     */
    public static int decode(byte[] src, int pos, int limit, int n, double[] dst, int dstOff) {
        Args.checkDecode(src.length, pos, limit, n, dst.length, dstOff);
        int codec = ByteInput.u8(src, pos, limit);
        return switch (codec) {
            case RAW -> RawValues.decode(src, pos + 1, limit, n, dst, dstOff);
            case GORILLA -> GorillaValues.decode(src, pos + 1, limit, n, dst, dstOff);
            case DECIMAL -> DecimalValues.decode(src, pos + 1, limit, n, dst, dstOff);
            case SPLIT -> SplitValues.decode(src, pos + 1, limit, n, dst, dstOff);
            default -> throw new CodecException("unknown value codec id " + codec + " at position " + pos);
        };
    }
}
