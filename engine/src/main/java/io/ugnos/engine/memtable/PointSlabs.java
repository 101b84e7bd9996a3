package io.ugnos.engine.memtable;

/**
 * Where a memtable's points live: a few large parallel arrays (slabs) of timestamps and values, cut
 * into the chunks that runs fill. Points are copied once, from the batch into a chunk, and never
 * again while the memtable lives: no array of a run is grown by copying, and the garbage collector
 * does not copy the slabs either once they are large (G1 allocates an array of half a region or
 * more as a humongous object, which it never moves).
 *
 * <p>Slabs start small, so that a memtable holding a few points costs little, and double up to
 * {@link #MAX_SLAB_POINTS}. Thread-safe: writers of different shards cut chunks concurrently.
 */
final class PointSlabs {
    /** First slab: 64 KiB of timestamps and as much of values. */
    static final int MIN_SLAB_POINTS = 4096;
    /** Just under 4 MiB per array, header included, so that an array fits whole G1 regions of 1 to 4 MiB. */
    static final int MAX_SLAB_POINTS = (4 << 20) / 8 - 16;

    // Empty rather than null at first, so that the first cut takes the same branch as a full slab: a
    // branch only a memtable's first cut takes has never been seen taken when the JIT compiles the
    // insert path, and the next memtable's first cut would throw that compiled code away.
    private long[] ts = new long[0];
    private double[] values = new double[0];
    private int used;

    /** A chunk: {@code capacity} points from {@code offset} of {@code ts} and {@code values}. */
    record Chunk(long[] ts, double[] values, int offset, int capacity) {
    }

    /**
     * Cuts a chunk of exactly {@code points} points, in a new slab when the current one has no room
     * (the rest of the old slab is left unused: at most a chunk's size per slab).
     *
     * @param points at most {@link #MAX_SLAB_POINTS}
     */
    synchronized Chunk cut(int points) {
        if (ts.length - used < points) {
            int size = Math.max(Math.min(MAX_SLAB_POINTS, Math.max(MIN_SLAB_POINTS, ts.length * 2)), points);
            ts = new long[size];
            values = new double[size];
            used = 0;
        }
        Chunk c = new Chunk(ts, values, used, points);
        used += points;
        return c;
    }
}
