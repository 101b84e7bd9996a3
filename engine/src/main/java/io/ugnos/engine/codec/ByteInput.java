package io.ugnos.engine.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Bounds-checked little-endian reads of the byte-aligned header fields that precede bit streams. */
final class ByteInput {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Longest LEB128 encoding of a 64-bit value. */
    static final int MAX_VARLONG_BYTES = 10;

    private ByteInput() {
    }

    static void need(int pos, int limit, int bytes) {
        if (limit - pos < bytes) {
            throw new CodecException("needs " + bytes + " bytes at position " + pos + " but only "
                    + Math.max(0, limit - pos) + " remain");
        }
    }

    static int u8(byte[] src, int pos, int limit) {
        need(pos, limit, 1);
        return src[pos] & 0xFF;
    }

    static int u16(byte[] src, int pos, int limit) {
        need(pos, limit, 2);
        return (short) SHORT_LE.get(src, pos) & 0xFFFF;
    }

    static long i64(byte[] src, int pos, int limit) {
        need(pos, limit, 8);
        return (long) LONG_LE.get(src, pos);
    }

    /**
     * Position after the LEB128 value at {@code pos}; checks that it ends before {@code limit} and
     * within 10 bytes. Read the value with {@link #varLongAt} afterwards. (Two calls rather than a
     * cursor object so that decoding allocates nothing.)
     */
    static int varLongEnd(byte[] src, int pos, int limit) {
        int end = Math.min(limit, pos + MAX_VARLONG_BYTES);
        for (int p = pos; p < end; p++) {
            if (src[p] >= 0) {
                return p + 1;
            }
        }
        throw new CodecException(limit - pos < MAX_VARLONG_BYTES
                ? "variable-length integer at position " + pos + " runs past the end"
                : "variable-length integer at position " + pos + " is longer than 10 bytes");
    }

    /** The LEB128 value at {@code pos}, which {@link #varLongEnd} has validated. */
    static long varLongAt(byte[] src, int pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7, pos++) {
            byte b = src[pos];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    /** Bytes {@link EncodeBuffer#writeVarLong} takes for {@code v}. */
    static int varLongSize(long v) {
        return 1 + (63 - Long.numberOfLeadingZeros(v | 1)) / 7;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
