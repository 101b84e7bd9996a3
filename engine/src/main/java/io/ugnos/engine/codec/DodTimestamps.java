package io.ugnos.engine.codec;

/**
 * DOD timestamps: Gorilla-style delta-of-delta, with buckets sized for nanosecond clocks.
 * <pre>
 * u8      codec id 2
 * i64     first timestamp
 * varlong zigzag(first delta)
 * bits    one entry per timestamp from the third on, LSB-first (see {@link BitWriter}),
 *         zero-padded to a whole byte; absent for fewer than three points
 * </pre>
 * Each entry codes {@code dod = delta[i] - delta[i-1]} as {@code k} one-bits, then (for
 * {@code k < 5}) a zero-bit and {@code 8k} bits of two's complement payload:
 * <pre>
 * 0                    dod == 0                         1 bit
 * 10   + 8 bits        -2^7  &lt;= dod &lt; 2^7              10 bits
 * 110  + 16 bits       -2^15 &lt;= dod &lt; 2^15             19 bits
 * 1110 + 24 bits       -2^23 &lt;= dod &lt; 2^23             28 bits
 * 11110 + 32 bits      -2^31 &lt;= dod &lt; 2^31             37 bits
 * 11111 + 64 bits      anything else (no zero-bit)      69 bits
 * </pre>
 * (Bits listed in stream order.) The 24-bit bucket exists for millisecond jitter on a nanosecond
 * clock (about +-8 ms). The decoder reads the prefix with one count of trailing ones.
 */
final class DodTimestamps {
    /** Prefix of five one-bits: a raw 64-bit delta-of-delta follows. */
    private static final int ESCAPE = 5;

    private DodTimestamps() {
    }

    /** The bucket {@code k} (0 to 5) that holds {@code dod}. */
    private static int bucket(long dod) {
        if (dod == 0) {
            return 0;
        }
        for (int k = 1; k < ESCAPE; k++) {
            long high = dod >> (8 * k - 1);
            if (high == 0 || high == -1) {
                return k;
            }
        }
        return ESCAPE;
    }

    private static int entryBits(int k) {
        return k == ESCAPE ? ESCAPE + 64 : k + 1 + 8 * k;
    }

    static long size(long[] ts, int off, int n) {
        long firstDelta = n > 1 ? ts[off + 1] - ts[off] : 0;
        long bits = 0;
        long prevDelta = firstDelta;
        for (int i = off + 2; i < off + n; i++) {
            long delta = ts[i] - ts[i - 1];
            bits += entryBits(bucket(delta - prevDelta));
            prevDelta = delta;
        }
        return 1 + 8 + ByteInput.varLongSize(ByteInput.zigzag(firstDelta)) + BitInput.bytesFor(bits);
    }

    static void encode(long[] ts, int off, int n, EncodeBuffer out) {
        long firstDelta = n > 1 ? ts[off + 1] - ts[off] : 0;
        out.writeByte(TimestampCodec.DOD);
        out.writeLong(ts[off]);
        out.writeVarLong(ByteInput.zigzag(firstDelta));
        BitWriter bits = out.bits();
        long prevDelta = firstDelta;
        for (int i = off + 2; i < off + n; i++) {
            long delta = ts[i] - ts[i - 1];
            long dod = delta - prevDelta;
            prevDelta = delta;
            int k = bucket(dod);
            if (k == ESCAPE) {
                bits.write(0b11111, ESCAPE);
                bits.write(dod, 64);
            } else {
                int width = 8 * k;
                long prefix = (1L << k) - 1; // k ones, then the zero-bit
                bits.write(prefix | (dod & BitInput.mask(width)) << (k + 1), k + 1 + width);
            }
        }
        bits.flush();
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, long[] dst, int dstOff) {
        long t = ByteInput.i64(src, pos, limit);
        pos += 8;
        int base = ByteInput.varLongEnd(src, pos, limit);
        long delta = ByteInput.unzigzag(ByteInput.varLongAt(src, pos));
        dst[dstOff] = t;
        if (n == 1) {
            return base;
        }
        t += delta;
        dst[dstOff + 1] = t;
        long bp = 0;
        for (int i = dstOff + 2; i < dstOff + n; i++) {
            long w = BitInput.peek(src, base, limit, bp);
            int k = Long.numberOfTrailingZeros(~w);
            if (k == 0) {
                bp++;
            } else if (k < ESCAPE) {
                int width = 8 * k;
                int entry = k + 1 + width;
                // move the payload's top bit to bit 63, then shift back arithmetically to sign-extend
                delta += (w << (64 - entry)) >> (64 - width);
                bp += entry;
            } else {
                delta += BitInput.readWide(src, base, limit, bp + ESCAPE, 64);
                bp += ESCAPE + 64;
            }
            t += delta;
            dst[i] = t;
        }
        return BitInput.end(base, limit, bp, "delta-of-delta stream");
    }
}
