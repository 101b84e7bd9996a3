package io.ugnos.engine.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Growable little-endian byte buffer used to build blocks without garbage: it is cleared and reused
 * between blocks, and only grows (by doubling) when a block does not fit.
 *
 * <p>Not thread-safe. Besides the bytes it also owns the bit writer, and it hands the codecs their
 * thread's scratch arrays, so that encoding allocates nothing once the thread has warmed up.
 */
public final class EncodeBuffer {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Largest array size the JVMs in use allocate reliably. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int size;
    // Made up front, not on first use: a "first use" branch is one the JIT has never seen taken when it
    // compiles the flush (the first buffer's first block ran in the interpreter), so a new segment
    // writer's first block would throw the compiled flush away and have it compiled again.
    private final BitWriter bitWriter = new BitWriter(this);
    /**
     * The encoders' scratch, one per thread rather than per buffer: a new buffer (every segment a
     * flush or compaction writes) then finds the arrays already grown, for the same reason as above.
     * Used only between an analysis and the write it plans, on one thread, within one encode call.
     */
    private static final ThreadLocal<EncodeScratch> SCRATCH = ThreadLocal.withInitial(EncodeScratch::new);

    /**
     * @param initialCapacity bytes to reserve up front (0 is allowed; the buffer grows on demand)
     * @throws IllegalArgumentException if {@code initialCapacity} is negative
     */
    public EncodeBuffer(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("negative capacity " + initialCapacity);
        }
        buf = new byte[initialCapacity];
    }

    /** Sets the size back to 0 and keeps the capacity. */
    public void clear() {
        size = 0;
    }

    /** Number of valid bytes, {@code [0, size())} of {@link #array()}. */
    public int size() {
        return size;
    }

    /**
     * The backing array; bytes {@code [0, size())} are valid. The array is replaced when the buffer
     * grows, so do not hold on to it across writes.
     */
    public byte[] array() {
        return buf;
    }

    /** Appends the low 8 bits of {@code b}. */
    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Appends the low 16 bits of {@code v}, little-endian. */
    public void writeShort(int v) {
        ensure(2);
        SHORT_LE.set(buf, size, (short) v);
        size += 2;
    }

    /** Appends {@code v}, little-endian. */
    public void writeInt(int v) {
        ensure(4);
        INT_LE.set(buf, size, v);
        size += 4;
    }

    /** Appends {@code v}, little-endian. */
    public void writeLong(long v) {
        ensure(8);
        LONG_LE.set(buf, size, v);
        size += 8;
    }

    /** Appends the raw IEEE-754 bits of {@code v} (NaN payloads preserved), little-endian. */
    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** Appends {@code v} as unsigned LEB128: 7 bits per byte, low groups first, 1 to 10 bytes. */
    public void writeVarLong(long v) {
        ensure(10);
        byte[] b = buf;
        int p = size;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        size = p;
    }

    /** Appends {@code src[off, off + len)}. */
    public void writeBytes(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        ensure(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    /**
     * Appends {@code a[off, off + n)} as little-endian i64s, as a bulk copy.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code a}
     */
    public void writeLongs(long[] a, int off, int n) {
        Objects.checkFromIndexSize(off, n, a.length);
        reserve(8L * n);
        ByteBuffer.wrap(buf, size, 8 * n).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(a, off, n);
        size += 8 * n;
    }

    /**
     * Appends {@code n - 1} fields of {@code width} bits (0 to 63), LSB-first as {@link BitWriter}
     * writes them, zero-padded to a whole byte: {@code m[i] - m[i - 1] - bias} for {@code i} in
     * {@code [1, n)}, each assumed to fit the width. The same bytes as a {@link BitWriter} writing
     * each field and flushing, in one pass with the accumulator in registers and one capacity check.
     */
    void writePackedDeltas(long[] m, int n, long bias, int width) {
        if (width == 0 || n < 2) {
            return;
        }
        long bits = (long) (n - 1) * width;
        reserve((bits + 7) / 8 + 8);
        byte[] d = buf;
        int p = size;
        long acc = 0;
        int count = 0;
        for (int i = 1; i < n; i++) {
            long v = m[i] - m[i - 1] - bias;
            acc |= v << count;
            count += width;
            if (count >= 64) {
                LONG_LE.set(d, p, acc);
                p += 8;
                count -= 64;
                // the bits of v that did not fit (none when it ended exactly at the word's end)
                acc = count == 0 ? 0 : v >>> (width - count);
            }
        }
        for (; count > 0; count -= 8) {
            d[p++] = (byte) acc;
            acc >>>= 8;
        }
        size = p;
    }

    /**
     * Makes room for {@code extra} more bytes at once, so that a writer that knows (a bound on)
     * what it will append grows the buffer once instead of doubling it step by step.
     *
     * @throws IllegalStateException if the buffer would exceed the largest array size
     */
    public void reserve(long extra) {
        if (extra > buf.length - size) {
            if (extra > MAX_CAPACITY - size) {
                throw new IllegalStateException("encode buffer cannot grow past " + MAX_CAPACITY + " bytes");
            }
            grow((int) extra);
        }
    }

    /** Bytes the backing array holds, valid or not. */
    public int capacity() {
        return buf.length;
    }

    /**
     * Overwrites the 4 bytes at {@code position} (which must already have been written) with
     * {@code v}, little-endian; used to back-patch a length once the section after it is known.
     *
     * @throws IndexOutOfBoundsException if {@code [position, position + 4)} is not within {@code [0, size())}
     */
    public void putInt(int position, int v) {
        Objects.checkFromIndexSize(position, 4, size);
        INT_LE.set(buf, position, v);
    }

    /** Makes room for {@code extra} more bytes. */
    void ensure(int extra) {
        if (extra > buf.length - size) {
            grow(extra);
        }
    }

    private void grow(int extra) {
        long needed = (long) size + extra;
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("encode buffer cannot grow past " + MAX_CAPACITY + " bytes");
        }
        long doubled = Math.min(MAX_CAPACITY, Math.max(64L, 2L * buf.length));
        buf = Arrays.copyOf(buf, (int) Math.max(needed, doubled));
    }

    /** The bit writer appending to this buffer, reset to an empty bit string. */
    BitWriter bits() {
        bitWriter.reset();
        return bitWriter;
    }

    /** Scratch space for the encoders' analysis passes, reused across blocks. */
    EncodeScratch scratch() {
        return SCRATCH.get();
    }
}
