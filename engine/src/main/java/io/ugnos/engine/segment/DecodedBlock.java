package io.ugnos.engine.segment;

/**
 * Reusable buffers a query decodes blocks into: raw bytes, timestamps and values. One per query
 * thread, so that scanning allocates nothing per block once the buffers have grown. Empty until
 * the first block: a query answered from block headers or the memtable
 * allocates and zeroes none of the 24 KB.
 */
public final class DecodedBlock {
    byte[] raw = new byte[0];
    public long[] ts = new long[0];
    public double[] values = new double[0];
    public int size;

    void ensure(int bytes, int points) {
        if (raw.length < bytes) {
            raw = new byte[Math.max(bytes, raw.length * 2)];
        }
        if (ts.length < points) {
            int c = Math.max(points, ts.length * 2);
            ts = new long[c];
            values = new double[c];
        }
    }
}
