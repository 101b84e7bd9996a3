package io.ugnos.engine.query;

import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.SegmentReader;

/**
 * A sorted, duplicate-free piece of one tag set's points from one source: a segment block, or a
 * slice of in-memory arrays. {@code priority} orders sources; on equal timestamps the higher wins.
 */
final class Chunk {
    long minTs;
    long maxTs;
    int count;
    int priority;
    // a segment block ...
    SegmentReader segment;
    int block;
    // ... or in-memory points
    long[] memTs;
    double[] memValues;
    int memOff;

    static Chunk ofBlock(SegmentReader segment, int block, int priority) {
        Chunk c = new Chunk();
        BlockTable t = segment.blocks();
        c.segment = segment;
        c.block = block;
        c.minTs = t.minTs(block);
        c.maxTs = t.maxTs(block);
        c.count = t.count(block);
        c.priority = priority;
        return c;
    }

    static Chunk ofMemory(long[] ts, double[] values, int off, int n, int priority) {
        Chunk c = new Chunk();
        c.memTs = ts;
        c.memValues = values;
        c.memOff = off;
        c.count = n;
        c.minTs = ts[off];
        c.maxTs = ts[off + n - 1];
        c.priority = priority;
        return c;
    }

    boolean hasHeader() {
        return segment != null;
    }
}
