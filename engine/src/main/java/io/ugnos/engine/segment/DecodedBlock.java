package io.ugnos.engine.segment;

/**
 * Reusable buffers a query decodes blocks into: raw bytes, timestamps and values. One per query
 * thread, so that scanning allocates nothing per block once the buffers have grown. Empty until
 * the first block: a query answered from block headers or the memtable
 * allocates and zeroes none of the 24 KB.
 *
 * <p>The raw bytes are a window of one segment file: the block last read and the blocks read
 * ahead with it ({@link SegmentReader#readBlock(int, int, DecodedBlock, boolean, boolean)}), so
 * that a run of adjacent blocks costs one read instead of one per block.
 *
 * <p>A query takes its buffers with {@link #take} and hands them back with {@link #give} when it
 * is done, so that the thread's next query (the next field of a family scan, the next statement)
 * reuses them: allocating and zeroing them was half of a one-block scan (2.9 of 5.8 µs). The
 * thread keeps the arrays only (JDK classes), not this class, so that a thread pool outliving an
 * application that embedded ugnos does not keep that application's class loader.
 */
public final class DecodedBlock {
    /** The arrays (raw, timestamps, values) a query of this thread gave back, or null. */
    private static final ThreadLocal<Object[]> SPARE = new ThreadLocal<>();
    /** Larger buffers are not kept for the next query: they go with the query that grew them. */
    private static final int MAX_KEPT_BYTES = 1 << 20;
    private static final int MAX_KEPT_POINTS = 1 << 16;

    /** The window's bytes; the last block read starts at {@link #rawOff}. */
    byte[] raw = new byte[0];
    int rawOff;
    /** Whose file the window holds ({@code null}: nothing), and where: {@code raw[0..windowLen)} is the file at {@code windowStart}. */
    SegmentReader windowOf;
    long windowStart;
    int windowLen;
    public long[] ts = new long[0];
    public double[] values = new double[0];
    public int size;
    /**
     * Whether the last block read (asked to tell) has REGULAR timestamps, known even when they
     * were not decoded: timestamp {@code i} is {@code regular[0] + i * regular[1]} (first and delta).
     */
    public boolean isRegular;
    public final long[] regular = new long[2];

    /**
     * Buffers with the thread's spare arrays, or new ones: the caller owns them until it
     * {@linkplain #give gives them back}, which only the thread that took them may do.
     */
    public static DecodedBlock take() {
        DecodedBlock b = new DecodedBlock();
        Object[] spare = SPARE.get();
        if (spare != null) {
            SPARE.set(null);
            b.raw = (byte[]) spare[0];
            b.ts = (long[]) spare[1];
            b.values = (double[]) spare[2];
        }
        return b;
    }

    /**
     * Hands buffers back for this thread's next query. The caller must have taken them on this
     * thread, must be their only user, and must not use them afterwards (their arrays are
     * detached, so a use fails at once). The window is forgotten: a later query reads its blocks
     * from the file again (and so sees what is on disk now).
     */
    public static void give(DecodedBlock b) {
        byte[] r = b.raw;
        long[] t = b.ts;
        double[] v = b.values;
        b.raw = null;
        b.ts = null;
        b.values = null;
        b.windowOf = null;
        b.size = 0;
        if (r != null && t != null && v != null && r.length <= MAX_KEPT_BYTES && t.length <= MAX_KEPT_POINTS) {
            SPARE.set(new Object[] {r, t, v});
        }
    }

    /** Whether the window holds bytes {@code [off, off + len)} of {@code reader}'s file. */
    boolean holds(SegmentReader reader, long off, int len) {
        return windowOf == reader && off >= windowStart && off + len <= windowStart + windowLen;
    }

    void ensure(int bytes, int points) {
        if (raw.length < bytes) {
            windowOf = null; // the new array holds nothing yet
            raw = new byte[Math.max(bytes, raw.length * 2)];
        }
        if (ts.length < points) {
            int c = Math.max(points, ts.length * 2);
            ts = new long[c];
            values = new double[c];
        }
    }
}
