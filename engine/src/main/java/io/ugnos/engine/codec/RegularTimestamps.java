package io.ugnos.engine.codec;

/**
 * REGULAR timestamps: every delta is the same.
 * <pre>
 * u8      codec id 1
 * i64     first timestamp
 * varlong zigzag(delta)     0 for a single point
 * </pre>
 * Timestamp {@code i} is {@code first + i * delta} with wrapping arithmetic.
 */
final class RegularTimestamps {
    private RegularTimestamps() {
    }

    static boolean applies(long[] ts, int off, int n) {
        if (n <= 2) {
            return true;
        }
        long delta = ts[off + 1] - ts[off];
        for (int i = off + 2; i < off + n; i++) {
            if (ts[i] - ts[i - 1] != delta) {
                return false;
            }
        }
        return true;
    }

    static void encode(long[] ts, int off, int n, EncodeBuffer out) {
        out.writeByte(TimestampCodec.REGULAR);
        out.writeLong(ts[off]);
        out.writeVarLong(ByteInput.zigzag(n > 1 ? ts[off + 1] - ts[off] : 0));
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, long[] dst, int dstOff) {
        long t = ByteInput.i64(src, pos, limit);
        pos += 8;
        int end = ByteInput.varLongEnd(src, pos, limit);
        long delta = ByteInput.unzigzag(ByteInput.varLongAt(src, pos));
        for (int i = dstOff; i < dstOff + n; i++) {
            dst[i] = t;
            t += delta;
        }
        return end;
    }
}
