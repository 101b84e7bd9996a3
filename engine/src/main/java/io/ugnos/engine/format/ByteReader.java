package io.ugnos.engine.format;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reader over a byte array. Every read past {@code limit} throws
 * {@link FormatException}, which callers turn into a {@link io.ugnos.engine.CorruptionException}
 * naming the file; a corrupt length can therefore never make a reader run off the end or allocate
 * without bound.
 */
public final class ByteReader {
    private final byte[] b;
    private int pos;
    private final int limit;

    public ByteReader(byte[] b, int pos, int limit) {
        this.b = b;
        this.pos = pos;
        this.limit = limit;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    private void need(int n) {
        if (n < 0 || limit - pos < n) {
            throw new FormatException("needs " + n + " more bytes at position " + pos + " but only " + (limit - pos) + " remain");
        }
    }

    public int u8() {
        need(1);
        return b[pos++] & 0xFF;
    }

    public int i32() {
        need(4);
        int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long i64() {
        return (i32() & 0xFFFFFFFFL) | ((long) i32()) << 32;
    }

    public double f64() {
        return Double.longBitsToDouble(i64());
    }

    public long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = u8();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new FormatException("varint longer than 10 bytes at position " + pos);
    }

    /** A length or count, checked to be non-negative and at most {@code max}. */
    public int count(long max) {
        long v = varLong();
        if (v < 0 || v > max) {
            throw new FormatException("count " + v + " out of range 0.." + max + " at position " + pos);
        }
        return (int) v;
    }

    public String string() {
        int n = count(remaining());
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public static int i32At(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    public static long i64At(byte[] b, int p) {
        return (i32At(b, p) & 0xFFFFFFFFL) | ((long) i32At(b, p + 4)) << 32;
    }
}
