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
 */
public final class DecodedBlock {
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
