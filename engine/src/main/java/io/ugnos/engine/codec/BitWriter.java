package io.ugnos.engine.codec;

/**
 * Appends bit fields to an {@link EncodeBuffer}, least significant bit first: bit {@code i} of the
 * stream is bit {@code i % 8} of byte {@code i / 8}. That order lets {@link BitInput} read any field
 * of up to 57 bits with one little-endian 64-bit load and a shift.
 *
 * <p>Bits are gathered in a 64-bit accumulator and stored a whole word at a time.
 */
final class BitWriter {
    private final EncodeBuffer out;
    private long acc;
    private int count;

    BitWriter(EncodeBuffer out) {
        this.out = out;
    }

    void reset() {
        acc = 0;
        count = 0;
    }

    /** Appends the low {@code width} bits of {@code value} (0 to 64); higher bits are ignored. */
    void write(long value, int width) {
        if (width == 0) {
            return;
        }
        long v = width == 64 ? value : value & ((1L << width) - 1);
        acc |= v << count;
        int total = count + width;
        if (total >= 64) {
            out.writeLong(acc);
            // the bits of v that did not fit; when count == 0 all 64 fitted (and v >>> 64 would be v)
            acc = count == 0 ? 0 : v >>> (64 - count);
            count = total - 64;
        } else {
            count = total;
        }
    }

    /** Writes out the pending bits, zero-padded to a whole byte. */
    void flush() {
        for (int written = 0; written < count; written += 8) {
            out.writeByte((int) acc);
            acc >>>= 8;
        }
        reset();
    }
}
