package io.ugnos.engine.codec;

/**
 * GORILLA values: the XOR encoding of Facebook's Gorilla (VLDB 2015).
 * <pre>
 * u8      codec id 2
 * i64     raw bits of the first value
 * bits    one entry per later value, LSB-first (see {@link BitWriter}), zero-padded to a whole byte
 * </pre>
 * With {@code x = bits[i] ^ bits[i-1]}, an entry is (fields in stream order, each field's value
 * stored least significant bit first):
 * <pre>
 * 1 bit  0                               x == 0
 * 1 bit  1, 1 bit 0, len bits            x fits the current window: x &gt;&gt;&gt; trail
 * 1 bit  1, 1 bit 1, 5 bits lead,        new window: lead = min(leading zeros, 31),
 *   6 bits len (64 stored as 0),           len = 64 - lead - trailing zeros,
 *   len bits                               then x &gt;&gt;&gt; trail with trail = 64 - lead - len
 * </pre>
 * The window starts out as lead 0, len 64 (the encoder always opens a window on the first change).
 */
final class GorillaValues {
    private GorillaValues() {
    }

    /** Size when every later value repeats its predecessor. */
    static long minSize(int n) {
        return 1 + 8 + BitInput.bytesFor(n - 1);
    }

    /**
     * Size in bytes, or {@link Long#MAX_VALUE} as soon as it is known not to be below {@code budget}
     * bytes (the best size found so far by other codecs): the sizing pass costs as much as encoding.
     */
    static long size(double[] values, int off, int n, long budget) {
        long budgetBits = 8 * (budget - 10); // 9 + ceil(bits / 8) < budget exactly when bits <= this
        long bits = 0;
        long prev = Double.doubleToRawLongBits(values[off]);
        int prevLead = -1;
        int prevTrail = 0;
        int prevLen = 0;
        for (int i = off + 1; i < off + n; i++) {
            long cur = Double.doubleToRawLongBits(values[i]);
            long x = cur ^ prev;
            prev = cur;
            if (x == 0) {
                bits++;
                continue;
            }
            int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
            int trail = Long.numberOfTrailingZeros(x);
            if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
                bits += 2 + prevLen;
            } else {
                prevLead = lead;
                prevTrail = trail;
                prevLen = 64 - lead - trail;
                bits += 13 + prevLen;
            }
            if (bits > budgetBits) { // checked on every change: a block that keeps its window never opens a new one
                return Long.MAX_VALUE;
            }
        }
        return 1 + 8 + BitInput.bytesFor(bits);
    }

    static void encode(double[] values, int off, int n, EncodeBuffer out) {
        out.writeByte(ValueCodec.GORILLA);
        long prev = Double.doubleToRawLongBits(values[off]);
        out.writeLong(prev);
        BitWriter bits = out.bits();
        int prevLead = -1; // no window yet
        int prevTrail = 0;
        int prevLen = 0;
        for (int i = off + 1; i < off + n; i++) {
            long cur = Double.doubleToRawLongBits(values[i]);
            long x = cur ^ prev;
            prev = cur;
            if (x == 0) {
                bits.write(0, 1);
                continue;
            }
            int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
            int trail = Long.numberOfTrailingZeros(x);
            if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
                bits.write(0b01, 2);
                bits.write(x >>> prevTrail, prevLen);
            } else {
                prevLead = lead;
                prevTrail = trail;
                prevLen = 64 - lead - trail;
                bits.write(0b11 | lead << 2 | (prevLen & 63) << 7, 13);
                bits.write(x >>> trail, prevLen);
            }
        }
        bits.flush();
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, double[] dst, int dstOff) {
        long prev = ByteInput.i64(src, pos, limit);
        int base = pos + 8;
        dst[dstOff] = Double.longBitsToDouble(prev);
        int len = 64;
        int trail = 0;
        long bp = 0;
        for (int i = dstOff + 1; i < dstOff + n; i++) {
            long w = BitInput.peek(src, base, limit, bp);
            if ((w & 1) == 0) {
                bp++;
            } else {
                if ((w & 2) == 0) {
                    bp += 2;
                } else {
                    int lead = (int) (w >>> 2) & 31;
                    len = (int) (w >>> 7) & 63;
                    if (len == 0) {
                        len = 64;
                    }
                    trail = 64 - lead - len;
                    if (trail < 0) {
                        throw new CodecException("XOR window of " + lead + " leading and " + len
                                + " meaningful bits exceeds 64 bits");
                    }
                    bp += 13;
                }
                prev ^= BitInput.readWide(src, base, limit, bp, len) << trail;
                bp += len;
            }
            dst[i] = Double.longBitsToDouble(prev);
        }
        return BitInput.end(base, limit, bp, "XOR stream");
    }
}
