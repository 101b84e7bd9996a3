package io.ugnos.engine.compaction;

import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.query.SegmentMerge;
import io.ugnos.engine.retention.RetentionPolicy;
import io.ugnos.engine.segment.BlockCopySource;
import io.ugnos.engine.segment.BlockTable;
import io.ugnos.engine.segment.DecodedBlock;
import io.ugnos.engine.segment.SegmentReader;
import io.ugnos.engine.segment.SegmentWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges level-0 segments into level-1 segments of one time partition each, and applies retention
 * on disk.
 *
 * <p>Plan: every level-0 segment is an input (so all level-1 data is older than any level-0 data
 * that remains, and segment priority by sequence stays sound), plus the level-1 segments of the
 * partitions the level-0 data falls in. Segments whose every series lies wholly below its retention
 * watermark are dropped without being read. A level-1 segment with at least a quarter of its points
 * expired is rewritten; with {@code full}, any with an expired point is.
 *
 * <p>Run: series by series and tag set by tag set, the inputs are merged as a query would merge
 * them (later write wins), points below the watermark are left out, and each point goes to the
 * writer of its partition. The outputs are installed by one manifest edit; until then they are
 * orphans that the next open removes, so a crash during compaction loses nothing.
 */
public final class Compactor {
    /** Creates a segment writer with a fresh id, reported through {@code idOut[0]}. */
    public interface WriterFactory {
        SegmentWriter create(long[] idOut);
    }

    /**
     * What a compaction reads and what it removes from the manifest; the points of
     * {@code droppedSeries} are left out of the outputs (a dropped series' data is removed this way).
     */
    public record Plan(List<Version.Entry> inputs, Set<Long> dropped, Set<Long> removed, Set<String> droppedSeries) {
        public boolean isEmpty() {
            return removed.isEmpty();
        }
    }

    /**
     * @param blocksCopied input blocks copied into the outputs as they were
     * @param blocksMerged input blocks decoded, merged and re-encoded
     */
    public record Output(List<SegmentDesc> segments, long blocksCopied, long blocksMerged) {
    }

    private static final double REWRITE_EXPIRED_FRACTION = 0.25;

    private final WriterFactory writers;
    private final RetentionPolicy retention;
    private final long partitionWidth;

    public Compactor(WriterFactory writers, RetentionPolicy retention, long partitionWidth) {
        this.writers = writers;
        this.retention = retention;
        this.partitionWidth = partitionWidth;
    }

    /** Start of the partition holding {@code ts}; partitions that begin before Long.MIN_VALUE start there. */
    public long partitionOf(long ts) {
        long start = ts - Math.floorMod(ts, partitionWidth);
        return start > ts ? Long.MIN_VALUE : start;
    }

    public Plan plan(Version v, boolean full) {
        return plan(v, full, Set.of());
    }

    /**
     * Plans a compaction that also removes every point of {@code droppedSeries}: each segment holding
     * one of them is an input (or dropped unread when it holds nothing else).
     */
    public Plan plan(Version v, boolean full, Set<String> droppedSeries) {
        Set<Long> dropped = new HashSet<>();
        List<Version.Entry> l0 = new ArrayList<>();
        List<Version.Entry> l1 = new ArrayList<>();
        Map<String, Long> watermarks = new HashMap<>();
        for (Version.Entry e : v.entries()) {
            if (fullyExpired(e.reader(), watermarks, droppedSeries)) {
                dropped.add(e.desc().id());
            } else if (e.desc().level() == 0) {
                l0.add(e);
            } else {
                l1.add(e);
            }
        }
        Set<Long> touched = new HashSet<>();
        DecodedBlock scratch = new DecodedBlock();
        for (Version.Entry e : l0) {
            addPartitions(e.reader(), touched, scratch);
        }
        List<Version.Entry> inputs = new ArrayList<>(l0);
        for (Version.Entry e : l1) {
            double expired = expiredFraction(e.reader(), watermarks);
            if (touched.contains(e.desc().partition()) || (full && expired > 0) || expired >= REWRITE_EXPIRED_FRACTION
                    || holdsAny(e.reader(), droppedSeries)) {
                inputs.add(e);
            }
        }
        Set<Long> removed = new HashSet<>(dropped);
        inputs.forEach(e -> removed.add(e.desc().id()));
        return new Plan(inputs, dropped, removed, Set.copyOf(droppedSeries));
    }

    private static boolean holdsAny(SegmentReader r, Set<String> series) {
        for (String s : series) {
            if (r.series(s) != null) {
                return true;
            }
        }
        return false;
    }

    private long watermark(String series, Map<String, Long> cache) {
        return cache.computeIfAbsent(series, retention::watermark);
    }

    private boolean fullyExpired(SegmentReader r, Map<String, Long> watermarks, Set<String> droppedSeries) {
        for (String s : r.seriesNames()) {
            if (!droppedSeries.contains(s) && r.series(s).maxTs() >= watermark(s, watermarks)) {
                return false;
            }
        }
        return true;
    }

    /** Share of the segment's points in blocks that lie wholly below their watermark (a lower bound). */
    private double expiredFraction(SegmentReader r, Map<String, Long> watermarks) {
        long expired = 0;
        boolean partial = false;
        BlockTable t = r.blocks();
        for (String s : r.seriesNames()) {
            SegmentReader.SeriesIndex si = r.series(s);
            long w = watermark(s, watermarks);
            if (si.minTs() >= w) {
                continue;
            }
            for (int i = 0; i < si.tagSetCount(); i++) {
                for (int b = si.firstBlock(i); b < si.endBlock(i); b++) {
                    if (t.maxTs(b) < w) {
                        expired += t.count(b);
                    } else if (t.minTs(b) < w) {
                        partial = true;
                    }
                }
            }
        }
        double f = (double) expired / Math.max(1, r.points());
        return f == 0 && partial ? Double.MIN_VALUE : f;
    }

    private void addPartitions(SegmentReader r, Set<Long> out, DecodedBlock scratch) {
        BlockTable t = r.blocks();
        for (int b = 0; b < t.size(); b++) {
            long first = partitionOf(t.minTs(b));
            long last = partitionOf(t.maxTs(b));
            if (first == last) {
                out.add(first);
            } else if (last - first > 0 && (last - first) / partitionWidth <= 64) {
                for (long p = first; p <= last && p >= first; p = partitionOf(p + partitionWidth)) {
                    out.add(p);
                }
            } else { // a block spanning many partitions: look at its points
                r.readBlock(b, scratch, true, false);
                for (int i = 0; i < scratch.size; i++) {
                    out.add(partitionOf(scratch.ts[i]));
                }
            }
        }
    }

    /** Writes the merged outputs of {@code plan}; the caller installs them. */
    public Output run(Plan plan, Version v) {
        if (plan.inputs().isEmpty()) {
            return new Output(List.of(), 0, 0);
        }
        // keep the version's priority order among the inputs
        Set<Long> inputIds = new HashSet<>();
        plan.inputs().forEach(e -> inputIds.add(e.desc().id()));
        List<SegmentReader> readers = new ArrayList<>();
        long minSeq = Long.MAX_VALUE;
        long maxSeq = Long.MIN_VALUE;
        for (Version.Entry e : v.entries()) {
            if (inputIds.contains(e.desc().id())) {
                readers.add(e.reader());
                minSeq = Math.min(minSeq, e.desc().minSeq());
                maxSeq = Math.max(maxSeq, e.desc().maxSeq());
            }
        }
        TreeSet<String> series = new TreeSet<>();
        readers.forEach(r -> series.addAll(r.seriesNames()));
        series.removeAll(plan.droppedSeries());
        Pass pass = new Pass(readers);
        TreeMap<Long, PartitionWriter> out = pass.out;
        boolean ok = false;
        try {
            for (String s : series) {
                long w = retention.watermark(s);
                TreeSet<Integer> tagSets = new TreeSet<>();
                for (SegmentReader r : readers) {
                    SegmentReader.SeriesIndex si = r.series(s);
                    if (si != null) {
                        for (int i = 0; i < si.tagSetCount(); i++) {
                            tagSets.add(si.tagSetId(i));
                        }
                    }
                }
                for (int id : tagSets) {
                    pass.tagSet(s, id, w);
                }
                for (PartitionWriter pw : out.values()) {
                    pw.endSeries();
                }
            }
            List<SegmentDesc> descs = new ArrayList<>();
            for (PartitionWriter pw : out.values()) {
                SegmentWriter.Result res = pw.writer.finish();
                descs.add(new SegmentDesc(pw.id, 1, pw.partition, res.minTs(), res.maxTs(), minSeq, maxSeq,
                        res.points(), res.bytes()));
            }
            ok = true;
            return new Output(descs, pass.blocksCopied, pass.blocksMerged);
        } finally {
            for (PartitionWriter pw : out.values()) {
                pw.writer.close();
                if (!ok) {
                    io.ugnos.engine.format.AtomicFiles.deleteQuietly(pw.writer.target());
                }
            }
        }
    }

    /** The state of one {@link #run}: its inputs, the output writers by partition, scratch space, counters. */
    private final class Pass {
        final List<SegmentReader> readers;
        final SegmentMerge merge;
        final TreeMap<Long, PartitionWriter> out = new TreeMap<>();
        final List<BlockCopySource> sources = new ArrayList<>(); // by input, read in file order
        final TagSetBlocks blocks = new TagSetBlocks();
        PartitionWriter lastWriter;
        long blocksCopied;
        long blocksMerged;

        Pass(List<SegmentReader> readers) {
            this.readers = readers;
            this.merge = new SegmentMerge(readers);
            int window = BlockCopySource.windowFor(readers.size());
            readers.forEach(r -> sources.add(new BlockCopySource(r, window)));
        }

        /**
         * Writes the points of one tag set. A block that overlaps no block of another input, lies
         * wholly at or above the watermark and within one partition, could have been written by the
         * output writer (no more points than its block limit, no span boundary crossed) and ends where
         * re-encoding would also end a block is copied as it is (bytes and header, checksum verified); the points
         * between such blocks are merged and re-encoded. The output is the file that re-encoding
         * everything would give, but the blocks of a bulk load are not decoded and encoded again.
         */
        void tagSet(String s, int id, long w) {
            blocks.load(readers, s, id, w);
            boolean pending = false; // blocks still to merge, covering [mergeFrom, mergeTo]
            long mergeFrom = 0;
            long mergeTo = 0;
            int i = 0;
            while (i < blocks.size) {
                int j = blocks.clusterEnd(i);
                if (j == i + 1 && blocks.minTs[i] >= w && partitionOf(blocks.minTs[i]) == partitionOf(blocks.maxTs[i])) {
                    if (pending) { // the writer's pending points decide below
                        merge(s, id, Math.max(w, mergeFrom), mergeTo);
                        pending = false;
                    }
                    if (copy(s, id, i)) {
                        blocksCopied++;
                        i = j;
                        continue;
                    }
                }
                if (!pending) {
                    pending = true;
                    mergeFrom = blocks.minTs[i];
                }
                mergeTo = blocks.maxTs(i, j); // clusters are disjoint and ascending: the latest ends last
                blocksMerged += j - i;
                i = j;
            }
            if (pending) {
                merge(s, id, Math.max(w, mergeFrom), mergeTo);
            }
        }

        /** Copies block {@code i} of {@link #blocks} if re-encoding would give the same block; false if not. */
        private boolean copy(String s, int id, int i) {
            long p = partitionOf(blocks.minTs[i]);
            PartitionWriter pw = writer(p);
            if (pw.writer.pendingPoints(id) > 0 // 0 as well when the writer is on another series
                    || !pw.writer.couldHaveWritten(blocks.count[i], blocks.minTs[i], blocks.maxTs[i])) {
                return false;
            }
            boolean lastOfPartition = i + 1 == blocks.size || partitionOf(blocks.minTs[i + 1]) != p;
            if (!lastOfPartition && !pw.writer.endsBlock(blocks.count[i], blocks.maxTs[i], blocks.minTs[i + 1])) {
                return false;
            }
            pw.copy(s, id, sources.get(blocks.input[i]), blocks.block[i]);
            return true;
        }

        /** Merges the inputs' points of one tag set in [lo, hi] and appends them, each to its partition's writer. */
        private void merge(String s, int id, long lo, long hi) {
            merge.forEachRun(s, id, lo, hi, (ts, values, off, n) -> {
                int i = off;
                int end = off + n;
                while (i < end) {
                    long p = partitionOf(ts[i]);
                    int j = i + 1;
                    while (j < end && partitionOf(ts[j]) == p) {
                        j++;
                    }
                    writer(p).append(s, id, ts, values, i, j - i);
                    i = j;
                }
            });
        }

        private PartitionWriter writer(long partition) {
            PartitionWriter w = lastWriter;
            if (w == null || w.partition != partition) { // mostly the same partition as the block before
                w = out.computeIfAbsent(partition, x -> new PartitionWriter(x, writers));
                lastWriter = w;
            }
            return w;
        }
    }

    /** The output segment of one partition, fed series by series. */
    private static final class PartitionWriter {
        final long partition;
        final long id;
        final SegmentWriter writer;
        String series;

        PartitionWriter(long partition, WriterFactory factory) {
            long[] idOut = new long[1];
            this.writer = factory.create(idOut);
            this.id = idOut[0];
            this.partition = partition;
        }

        void append(String s, int tagSetId, long[] ts, double[] values, int off, int n) {
            if (!s.equals(series)) {
                writer.beginSeries(s);
                series = s;
            }
            writer.append(tagSetId, ts, values, off, n);
        }

        void copy(String s, int tagSetId, BlockCopySource source, int b) {
            if (!s.equals(series)) {
                writer.beginSeries(s);
                series = s;
            }
            writer.appendBlockOf(tagSetId, source, b);
        }

        void endSeries() {
            if (series != null) {
                writer.endSeries();
                series = null;
            }
        }
    }
}
