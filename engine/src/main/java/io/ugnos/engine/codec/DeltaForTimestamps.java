package io.ugnos.engine.codec;

/**
 * DELTA_FOR timestamps: frame-of-reference bit packing of the deltas.
 * <pre>
 * u8      codec id 3
 * i64     first timestamp
 * varlong zigzag(minDelta)  smallest delta of the block
 * varlong gcd               of all (delta - minDelta), 1 if they have none larger
 * u8      width             bits per packed delta, 0 to 64
 * bits    n - 1 fields of width bits, LSB-first, zero-padded to a whole byte:
 *         (delta[i] - minDelta) / gcd
 * </pre>
 * Decoding: {@code ts[i] = ts[i-1] + minDelta + field * gcd}, wrapping. The divisor turns
 * millisecond-precision timestamps on a nanosecond clock from about 24 bits of jitter into a few.
 */
final class DeltaForTimestamps {
    private DeltaForTimestamps() {
    }

    /** Plans the encoding into {@code s} and returns its size in bytes; {@code n >= 2}. */
    static long analyze(long[] ts, int off, int n, EncodeScratch s) {
        long minDelta = Long.MAX_VALUE;
        for (int i = off + 1; i < off + n; i++) {
            minDelta = Math.min(minDelta, ts[i] - ts[i - 1]);
        }
        if (n == 1) {
            minDelta = 0;
        }
        long gcd = 0;
        long max = 0;
        boolean divisible = true;
        for (int i = off + 1; i < off + n; i++) {
            long offset = ts[i] - ts[i - 1] - minDelta; // unsigned: a span of up to 2^64 - 1
            if (offset < 0) {
                divisible = false; // at least 2^63: keep it simple and pack all 64 bits
                max = -1;
                break;
            }
            max = Math.max(max, offset);
            if (gcd != 1) {
                gcd = gcd(offset, gcd);
            }
        }
        if (!divisible || gcd == 0) {
            gcd = 1;
        }
        int width = BitInput.widthOf(max == -1 ? -1 : max / gcd);
        s.forMinDelta = minDelta;
        s.forGcd = gcd;
        s.forWidth = width;
        return 1 + 8 + ByteInput.varLongSize(ByteInput.zigzag(minDelta)) + ByteInput.varLongSize(gcd) + 1
                + BitInput.bytesFor((long) (n - 1) * width);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /** Writes by the plan {@link #analyze} left in the buffer's scratch. */
    static void encode(long[] ts, int off, int n, EncodeBuffer out) {
        EncodeScratch s = out.scratch();
        long minDelta = s.forMinDelta;
        long gcd = s.forGcd;
        int width = s.forWidth;
        out.writeByte(TimestampCodec.DELTA_FOR);
        out.writeLong(ts[off]);
        out.writeVarLong(ByteInput.zigzag(minDelta));
        out.writeVarLong(gcd);
        out.writeByte(width);
        BitWriter bits = out.bits();
        for (int i = off + 1; i < off + n; i++) {
            long offset = ts[i] - ts[i - 1] - minDelta;
            bits.write(gcd == 1 ? offset : offset / gcd, width);
        }
        bits.flush();
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, long[] dst, int dstOff) {
        long t = ByteInput.i64(src, pos, limit);
        pos += 8;
        int p = ByteInput.varLongEnd(src, pos, limit);
        long minDelta = ByteInput.unzigzag(ByteInput.varLongAt(src, pos));
        int q = ByteInput.varLongEnd(src, p, limit);
        long gcd = ByteInput.varLongAt(src, p);
        int width = ByteInput.u8(src, q, limit);
        if (width > 64) {
            throw new CodecException("delta bit width " + width + " exceeds 64");
        }
        int base = q + 1;
        int end = BitInput.end(base, limit, (long) (n - 1) * width, "packed deltas");
        dst[dstOff] = t;
        long bp = 0;
        if (width <= BitInput.MAX_PEEK_BITS) {
            long mask = BitInput.mask(width);
            for (int i = dstOff + 1; i < dstOff + n; i++) {
                t += minDelta + (BitInput.peek(src, base, limit, bp) & mask) * gcd;
                bp += width;
                dst[i] = t;
            }
        } else {
            for (int i = dstOff + 1; i < dstOff + n; i++) {
                t += minDelta + BitInput.readWide(src, base, limit, bp, width) * gcd;
                bp += width;
                dst[i] = t;
            }
        }
        return end;
    }
}
