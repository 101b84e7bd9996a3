package io.ugnos.engine.query;

/**
 * Points held in memory rather than in a segment (the memtable), seen by queries as chunks.
 */
public final class MemoryRun {
    private MemoryRun() {
    }

    /** In-memory points of one series, as sorted, duplicate-free runs per tag set. */
    public interface Source {
        /**
         * Hands the points of {@code tagSetId} in [lo, hi] to {@code sink}, sorted and free of duplicates.
         */
        void forEachRun(int tagSetId, long lo, long hi, RunSink sink);

        default void collect(int tagSetId, long lo, long hi, int priority, TagSetMerger merger) {
            forEachRun(tagSetId, lo, hi, (ts, values, off, n) -> {
                if (n > 0) {
                    merger.add(Chunk.ofMemory(ts, values, off, n, priority));
                }
            });
        }
    }

    /** Receives a sorted run {@code ts[off..off+n)}; the arrays must not change while the query runs. */
    public interface RunSink {
        void accept(long[] ts, double[] values, int off, int n);
    }
}
