package io.ugnos.engine.query;

import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.SegmentReader;

import java.util.ArrayList;
import java.util.List;

/**
 * The sources of one series that can hold points in a time range: the segments of a pinned version
 * that survive pruning by series and time range, plus in-memory runs. Produces, per tag set, the
 * chunks (blocks) that overlap the range, pruning blocks by their time bounds.
 */
final class SeriesSources {
    private record SegmentSource(SegmentReader reader, SegmentReader.SeriesIndex index, int priority) {
    }

    private final List<SegmentSource> segments = new ArrayList<>();
    private final List<MemoryRun.Source> memory;
    private final int memoryPriority;

    SeriesSources(String series, long lo, long hi, Version version, List<MemoryRun.Source> memory, QueryStats stats) {
        this(series, lo, hi, version.entries().stream().map(Version.Entry::reader).toList(), memory, stats);
    }

    /** @param readers segments in ascending priority */
    SeriesSources(String series, long lo, long hi, List<SegmentReader> readers, List<MemoryRun.Source> memory,
                  QueryStats stats) {
        for (int p = 0; p < readers.size(); p++) {
            SegmentReader r = readers.get(p);
            stats.segmentsConsidered++;
            SegmentReader.SeriesIndex si = r.series(series);
            if (si == null || si.maxTs() < lo || si.minTs() > hi) {
                stats.segmentsPruned++;
                continue;
            }
            segments.add(new SegmentSource(r, si, p));
        }
        this.memory = memory;
        this.memoryPriority = readers.size();
    }

    boolean isEmpty() {
        return segments.isEmpty() && memory.isEmpty();
    }

    /** Adds the chunks of {@code tagSetId} that overlap [lo, hi] to {@code merger}. */
    void collect(int tagSetId, TagSetMerger merger) {
        long lo = merger.lo;
        long hi = merger.hi;
        for (SegmentSource s : segments) {
            int pos = s.index().find(tagSetId);
            if (pos < 0) {
                continue;
            }
            BlockTable t = s.reader().blocks();
            int from = s.index().firstBlock(pos);
            int to = s.index().endBlock(pos);
            for (int i = t.firstEndingAtOrAfter(from, to, lo); i < to && t.minTs(i) <= hi; i++) {
                merger.add(Chunk.ofBlock(s.reader(), i, s.priority()));
            }
        }
        for (int m = 0; m < memory.size(); m++) {
            memory.get(m).collect(tagSetId, lo, hi, memoryPriority + m, merger);
        }
        merger.sealChunks();
    }
}
