package io.ugnos.engine.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bit streams written by {@link BitWriter}. A read is one unaligned little-endian 64-bit load
 * shifted right by the bit offset within the first byte, which leaves at least 57 valid bits; wider
 * fields take two loads ({@link #readWide}).
 *
 * <p>Loads that reach past {@code limit} take a slow path that reads the bytes before {@code limit}
 * and zeros after it, so a corrupt stream can make a decoder read zeros but never leave the readable
 * range. Decoders check their final bit position against the range and throw {@link CodecException}
 * when the stream ran past it.
 */
final class BitInput {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Widest field {@link #peek} returns in full. */
    static final int MAX_PEEK_BITS = 57;

    private BitInput() {
    }

    /**
     * The stream bits from {@code bitPos} on, bit 0 of the result being stream bit {@code bitPos};
     * the low 57 bits are always valid. The stream starts at byte {@code base}; bytes at or after
     * {@code limit} read as zero.
     */
    static long peek(byte[] src, int base, int limit, long bitPos) {
        long i = base + (bitPos >>> 3);
        long word = i <= limit - 8 ? (long) LONG_LE.get(src, (int) i) : tail(src, i, limit);
        return word >>> (bitPos & 7);
    }

    /** The eight bytes at {@code i}, little-endian; {@code i + 8} must not pass the array's end. */
    static long word(byte[] src, int i) {
        return (long) LONG_LE.get(src, i);
    }

    private static long tail(byte[] src, long i, int limit) {
        long word = 0;
        for (int k = 0; k < 8 && i + k < limit; k++) {
            word |= (src[(int) (i + k)] & 0xFFL) << (8 * k);
        }
        return word;
    }

    /** A field of 0 to 64 bits at {@code bitPos}. */
    static long readWide(byte[] src, int base, int limit, long bitPos, int width) {
        if (width <= MAX_PEEK_BITS) {
            return peek(src, base, limit, bitPos) & mask(width);
        }
        long low = peek(src, base, limit, bitPos) & 0xFFFF_FFFFL;
        long high = peek(src, base, limit, bitPos + 32) & mask(width - 32);
        return low | high << 32;
    }

    /** The low {@code width} bits set, for 0 to 64. */
    static long mask(int width) {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    /** Bytes taken by a stream of {@code bits} bits. */
    static long bytesFor(long bits) {
        return (bits + 7) >>> 3;
    }

    /** Bits needed for the unsigned value {@code v}: 0 for 0, 64 for negative values. */
    static int widthOf(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /**
     * Checks that a stream of {@code bits} bits starting at byte {@code base} ends by {@code limit}
     * and returns the position just after it.
     */
    static int end(int base, int limit, long bits, String what) {
        long bytes = bytesFor(bits);
        if (bits < 0 || bytes > limit - base) {
            throw new CodecException(what + " needs " + bytes + " bytes at position " + base
                    + " but only " + (limit - base) + " remain");
        }
        return (int) (base + bytes);
    }
}
