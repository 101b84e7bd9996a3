package io.ugnos.engine.query;

import io.ugnos.engine.segment.SegmentReader;

import java.util.List;

/**
 * Merged, deduplicated runs of points read from a set of segments: what compaction rewrites.
 * Uses the same merge as queries, so that what compaction writes is exactly what a query saw.
 */
public final class SegmentMerge {
    private final List<SegmentReader> inputs;
    private final QueryStats stats = new QueryStats();
    private final TagSetMerger merger = new TagSetMerger(stats);

    /** @param inputs segments in ascending priority (on equal timestamps the later one wins) */
    public SegmentMerge(List<SegmentReader> inputs) {
        this.inputs = inputs;
    }

    /**
     * Hands the merged points of (series, tag set) in [lo, hi] to {@code sink}, ascending in time, in
     * one or more runs. The arrays are reused after {@code sink} returns.
     */
    public void forEachRun(String series, int tagSetId, long lo, long hi, MemoryRun.RunSink sink) {
        SeriesSources sources = new SeriesSources(series, lo, hi, inputs, List.of(), stats);
        merger.reset(lo, hi);
        sources.collect(tagSetId, merger);
        while (merger.nextCluster()) {
            merger.materialize(true, true);
            if (merger.outTo > merger.outFrom) {
                sink.accept(merger.outTs, merger.outValues, merger.outFrom, merger.outTo - merger.outFrom);
            }
        }
    }

    public QueryStats stats() {
        return stats;
    }
}
