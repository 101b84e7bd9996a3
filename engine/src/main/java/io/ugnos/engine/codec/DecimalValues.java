package io.ugnos.engine.codec;

/**
 * DECIMAL values (after ALP, Afroozeh et al., SIGMOD 2024): the block's values are decimals with at
 * most {@code e} fractional digits, stored as the integers {@code m = v * 10^e}.
 * <pre>
 * u8      codec id 3
 * u8      e                  exponent, 0 to 18
 * varlong zigzag(m[0])
 * varlong zigzag(minDelta)   smallest m[i] - m[i-1] (0 for a single value)
 * u8      width              bits per packed delta, 0 to 54
 * bits    n - 1 fields of width bits, LSB-first, zero-padded to a whole byte:
 *         m[i] - m[i-1] - minDelta
 * </pre>
 * A value is {@code (double) m / 10^e} (a correctly rounded division; for {@code e = 0} simply
 * {@code (double) m}). The encoder accepts a block only if that reproduces every value bit for bit
 * with {@code |m| < 2^52}; NaN, infinities and {@code -0.0} never do, so such blocks go elsewhere.
 * Subtracting the smallest delta instead of zigzag-coding the deltas is never wider, and half as
 * wide for a steadily rising counter.
 */
final class DecimalValues {
    static final int MAX_EXPONENT = 18;
    /** Exclusive bound on |m|: keeps the integers exact in a double and every packed delta under 2^54. */
    private static final long MAX_MANTISSA = 1L << 52;
    /** Widest field a valid encoding holds: deltas of integers below 2^52 span less than 2^54. */
    private static final int MAX_WIDTH = 54;
    /** Returned by {@link #mantissa} for a value that is not m / 10^e. */
    private static final long NONE = Long.MIN_VALUE;
    private static final double[] POW10 = new double[MAX_EXPONENT + 1];

    static {
        double p = 1;
        for (int e = 0; e <= MAX_EXPONENT; e++) {
            POW10[e] = p; // exact: every power of ten up to 10^22 is a double
            p *= 10;
        }
    }

    private DecimalValues() {
    }

    /** The m with {@code (double) m / 10^e == v} bit for bit and {@code |m| < 2^52}, or {@link #NONE}. */
    private static long mantissa(double v, int e) {
        if (e == 0) { // integers, the common case: no scaling, no division
            long m = (long) v;
            return Math.abs(m) < MAX_MANTISSA && Double.doubleToRawLongBits(m) == Double.doubleToRawLongBits(v) ? m : NONE;
        }
        double scaled = v * POW10[e];
        if (!(Math.abs(scaled) < MAX_MANTISSA)) { // also rejects NaN and infinities
            return NONE;
        }
        long m = (long) Math.rint(scaled);
        if (Math.abs(m) >= MAX_MANTISSA) {
            return NONE;
        }
        return Double.doubleToRawLongBits(m / POW10[e]) == Double.doubleToRawLongBits(v) ? m : NONE;
    }

    /** The smallest exponent of at least {@code from} at which {@code v} is a decimal, or -1. */
    private static int exponentOf(double v, int from) {
        for (int e = from; e <= MAX_EXPONENT; e++) {
            if (mantissa(v, e) != NONE) {
                return e;
            }
        }
        return -1;
    }

    /**
     * Plans the encoding into {@code s} (integers included) and returns its size in bytes, or -1 if
     * some value is not a decimal with at most {@value #MAX_EXPONENT} fractional digits.
     */
    static long analyze(double[] values, int off, int n, EncodeScratch s) {
        long[] mantissas = s.mantissas(n);
        s.decIntegerStats = false;
        int e = 0;
        long minDelta;
        long maxDelta;
        long minM;
        long maxM;
        long sumM;
        // One pass at the current exponent; a value that needs a larger one raises it and restarts,
        // since a value that is m / 10^e is also (10 m) / 10^(e+1) (checked again at the new e).
        // At most MAX_EXPONENT restarts; integer blocks take one pass.
        restart:
        while (true) {
            minDelta = n > 1 ? Long.MAX_VALUE : 0;
            maxDelta = n > 1 ? Long.MIN_VALUE : 0;
            minM = Long.MAX_VALUE;
            maxM = Long.MIN_VALUE;
            sumM = 0; // wraps only when the exactness check below fails anyway
            long prev = 0;
            for (int i = 0; i < n; i++) {
                long m = mantissa(values[off + i], e);
                if (m == NONE) {
                    int needed = exponentOf(values[off + i], e + 1);
                    if (needed < 0) {
                        return -1;
                    }
                    e = needed;
                    continue restart;
                }
                if (i > 0) {
                    long delta = m - prev;
                    minDelta = Math.min(minDelta, delta);
                    maxDelta = Math.max(maxDelta, delta);
                }
                mantissas[i] = m;
                prev = m;
                minM = Math.min(minM, m);
                maxM = Math.max(maxM, m);
                sumM += m;
            }
            break;
        }
        // the block's statistics come free with integers: every partial sum of n values of magnitude
        // at most max|m| is an integer of at most n * max|m| <= 2^53, exact in a double, as is its sum
        long maxAbs = Math.max(Math.abs(minM), Math.abs(maxM)); // |m| < 2^52: no overflow
        if (e == 0 && maxAbs <= (1L << 53) / n) {
            s.decIntegerStats = true;
            s.decMin = minM;
            s.decMax = maxM;
            s.decSum = sumM;
        }
        int width = BitInput.widthOf(maxDelta - minDelta);
        s.decExponent = e;
        s.decMinDelta = minDelta;
        s.decWidth = width;
        return 1 + 1 + ByteInput.varLongSize(ByteInput.zigzag(mantissas[0]))
                + ByteInput.varLongSize(ByteInput.zigzag(minDelta)) + 1
                + BitInput.bytesFor((long) (n - 1) * width);
    }

    /** Writes by the plan (and the integers) {@link #analyze} left in the buffer's scratch. */
    static void encode(double[] values, int off, int n, EncodeBuffer out) {
        EncodeScratch s = out.scratch();
        long[] mantissas = s.mantissas(n);
        long minDelta = s.decMinDelta;
        int width = s.decWidth;
        out.writeByte(ValueCodec.DECIMAL);
        out.writeByte(s.decExponent);
        out.writeVarLong(ByteInput.zigzag(mantissas[0]));
        out.writeVarLong(ByteInput.zigzag(minDelta));
        out.writeByte(width);
        out.writePackedDeltas(mantissas, n, minDelta, width);
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, double[] dst, int dstOff) {
        int e = ByteInput.u8(src, pos, limit);
        if (e > MAX_EXPONENT) {
            throw new CodecException("decimal exponent " + e + " exceeds " + MAX_EXPONENT);
        }
        int p = ByteInput.varLongEnd(src, pos + 1, limit);
        long m = ByteInput.unzigzag(ByteInput.varLongAt(src, pos + 1));
        int q = ByteInput.varLongEnd(src, p, limit);
        long minDelta = ByteInput.unzigzag(ByteInput.varLongAt(src, p));
        int width = ByteInput.u8(src, q, limit);
        if (width > MAX_WIDTH) {
            throw new CodecException("decimal delta width " + width + " exceeds " + MAX_WIDTH);
        }
        int base = q + 1;
        int end = BitInput.end(base, limit, (long) (n - 1) * width, "packed decimal deltas");
        long mask = BitInput.mask(width);
        double scale = POW10[e];
        dst[dstOff] = e == 0 ? m : m / scale;
        int i = dstOff + 1;
        int stop = dstOff + n;
        long bp = 0;
        if (width <= 8) {
            // Eight fields of at most 8 bits take exactly `width` bytes, so every group of eight
            // starts on a byte: one load per group, then shifts, instead of a load per field.
            int g = base;
            int lastLoad = limit - 8;
            if (e == 0) { // two loops so that integer blocks skip the division
                for (; i <= stop - 8 && g <= lastLoad; i += 8, g += width) {
                    long word = BitInput.word(src, g);
                    for (int k = 0; k < 8; k++) {
                        m += minDelta + (word & mask);
                        dst[i + k] = m;
                        word >>>= width;
                    }
                }
            } else {
                for (; i <= stop - 8 && g <= lastLoad; i += 8, g += width) {
                    long word = BitInput.word(src, g);
                    for (int k = 0; k < 8; k++) {
                        m += minDelta + (word & mask);
                        dst[i + k] = m / scale;
                        word >>>= width;
                    }
                }
            }
            bp = (long) (g - base) << 3;
        }
        // the fields left (all of them when wider than 8 bits), one load each
        if (e == 0) {
            for (; i < stop; i++) {
                m += minDelta + (BitInput.peek(src, base, limit, bp) & mask);
                bp += width;
                dst[i] = m;
            }
        } else {
            for (; i < stop; i++) {
                m += minDelta + (BitInput.peek(src, base, limit, bp) & mask);
                bp += width;
                dst[i] = m / scale;
            }
        }
        return end;
    }
}
