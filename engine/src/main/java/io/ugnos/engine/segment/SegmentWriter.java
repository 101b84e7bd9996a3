package io.ugnos.engine.segment;

import io.ugnos.engine.StorageException;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.codec.TimestampCodec;
import io.ugnos.engine.codec.ValueCodec;
import io.ugnos.engine.format.AtomicFiles;
import io.ugnos.engine.format.FileFormat;
import io.ugnos.engine.format.Strings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one immutable segment file. Callers add series in ascending name order, and within a
 * series the runs of each tag set in ascending id order, each run's points sorted by time and free
 * of duplicate timestamps; {@link #append} may be called repeatedly for the same tag set to stream a
 * long run. {@link #finish} fsyncs and renames the file into place; {@link #close} without finish
 * removes the temporary file.
 *
 * <p>A block ends when it holds {@code maxBlockPoints} points, or when it holds at least
 * {@code minSpanPoints} and the next point lies in a later epoch-aligned span of
 * {@code blockSpanNanos} (an hour by default) than its last point. So a block of a dense series never
 * straddles an hour boundary, and an aggregate by hour (or day) finds every such block whole inside
 * one bucket and answers it from the block's header statistics; a sparse series (fewer points an
 * hour than {@code minSpanPoints}) gets blocks of several whole hours, not tiny ones.
 *
 * <pre>{@code
 * try (SegmentWriter w = new SegmentWriter(dir, 7, 1024, 3_600_000_000_000L, 256)) {
 *     w.beginSeries("cpu");
 *     w.append(0, ts, values, 0, n);
 *     SegmentWriter.Result r = w.finish();
 * }
 * }</pre>
 */
public final class SegmentWriter implements AutoCloseable {
    /** What was written: the installed file, its size, points and time range. */
    public record Result(Path file, long bytes, long points, long minTs, long maxTs) {
    }

    /**
     * Encoded blocks are written out whenever this much has gathered. Small enough that the write-out
     * branch is taken many times before the JIT compiles {@link #flushBlock} (every ~100 blocks): at
     * 1 MiB it was first taken after the compilation, which then had to be thrown away and redone.
     */
    private static final int FLUSH_BYTES = 64 << 10;

    private final Path target;
    private final Path tmp;
    private final FileChannel ch;
    private final int maxBlockPoints;
    private final long blockSpanNanos; // 0: no span limit
    private final int minSpanPoints;
    private final EncodeBuffer out = new EncodeBuffer(FLUSH_BYTES + (1 << 16));
    private long written; // bytes already handed to the channel

    // pending block of the current run
    private final long[] blockTs;
    private final double[] blockValues;
    private final double[] stats = new double[3]; // min, max, sum from ValueCodec.integerStats
    private int blockSize;
    private long blockLast; // the last instant of the last span the block entered (inclusive: the last span may end past Long.MAX_VALUE)

    // index under construction
    private final List<SeriesEntry> series = new ArrayList<>();
    private SeriesEntry currentSeries;
    private int currentTagSet = -1;
    private final BlockTable blocks = new BlockTable();
    private long points;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;
    private long lastTs;
    private boolean finished;

    private static final class SeriesEntry {
        final String name;
        final List<int[]> tagSets = new ArrayList<>(); // {tagSetId, firstBlock, blockCount}

        SeriesEntry(String name) {
            this.name = name;
        }
    }

    /**
     * @param maxBlockPoints most points in a block
     * @param blockSpanNanos width of the epoch-aligned spans at whose boundaries blocks end; 0 for none
     * @param minSpanPoints  points a block holds before a span boundary may end it
     */
    public SegmentWriter(Path dir, long id, int maxBlockPoints, long blockSpanNanos, int minSpanPoints) {
        if (blockSpanNanos < 0 || minSpanPoints < 1) {
            throw new IllegalArgumentException("block span must be 0 or positive and its minimum points positive: "
                    + blockSpanNanos + ", " + minSpanPoints);
        }
        this.blockSpanNanos = blockSpanNanos;
        this.minSpanPoints = minSpanPoints;
        this.target = dir.resolve(SegmentFormat.fileName(id));
        this.tmp = dir.resolve(SegmentFormat.fileName(id) + AtomicFiles.TEMP_SUFFIX);
        this.maxBlockPoints = maxBlockPoints;
        this.blockTs = new long[maxBlockPoints];
        this.blockValues = new double[maxBlockPoints];
        try {
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp); // the file may exist although opening it failed
            throw StorageException.of("create segment file", tmp, e);
        }
        FileFormat.writeHeader(out, SegmentFormat.KIND, SegmentFormat.VERSION);
    }

    public void beginSeries(String name) {
        if (currentSeries != null) {
            throw new IllegalStateException("series " + currentSeries.name + " not ended");
        }
        if (!series.isEmpty() && series.get(series.size() - 1).name.compareTo(name) >= 0) {
            throw new IllegalStateException("series must be added in ascending name order: " + name);
        }
        currentSeries = new SeriesEntry(name);
        currentTagSet = -1;
    }

    /** Appends points of tag set {@code tagSetId}: {@code ts[off..off+n)} ascending, no duplicates. */
    public void append(int tagSetId, long[] ts, double[] values, int off, int n) {
        if (n == 0) {
            return;
        }
        if (tagSetId != currentTagSet) {
            if (tagSetId < currentTagSet) {
                throw new IllegalStateException("tag sets must be added in ascending id order");
            }
            flushBlock();
            closeTagSet();
            currentSeries.tagSets.add(new int[]{tagSetId, blocks.size(), 0});
            currentTagSet = tagSetId;
        } else if (ts[off] <= lastTs) {
            throw new IllegalStateException("points of a run must be strictly ascending in time");
        }
        int i = off;
        int end = off + n;
        while (i < end) {
            if (blockSize > 0 && ts[i] > blockLast) { // the point opens a new span
                if (blockSize >= minSpanPoints) {
                    flushBlock();
                } else {
                    blockLast = spanLast(ts[i]); // too few points to end the block: it enters the span
                }
            }
            if (blockSize == maxBlockPoints) {
                flushBlock();
            }
            if (blockSize == 0) {
                blockLast = spanLast(ts[i]);
            }
            // the points that go into this block: up to its room, and before the next span
            int j = i + 1;
            int stop = Math.min(end, i + (maxBlockPoints - blockSize));
            while (j < stop && ts[j] <= blockLast) {
                j++;
            }
            System.arraycopy(ts, i, blockTs, blockSize, j - i);
            System.arraycopy(values, i, blockValues, blockSize, j - i);
            blockSize += j - i;
            i = j;
        }
        lastTs = ts[end - 1];
    }

    /**
     * Points of {@code tagSetId} waiting to be encoded into the next block: 0 when the last block
     * of the tag set is complete, or when another tag set is being written. Compaction copies a
     * block verbatim only when nothing is pending, so that block boundaries stay where
     * re-encoding would have put them.
     */
    public int pendingPoints(int tagSetId) {
        return tagSetId == currentTagSet ? blockSize : 0;
    }

    /**
     * Appends block {@code b} of {@code source} to tag set {@code tagSetId} as it is, without
     * decoding it: its bytes (checksum verified on the way) and its header (count, time bounds,
     * value statistics) are copied. The block's points must come after every point already
     * appended to the tag set, as for {@link #append}; a pending partial block is written first.
     */
    public void appendBlockOf(int tagSetId, BlockCopySource source, int b) {
        BlockTable src = source.segment().blocks();
        long first = src.minTs(b);
        if (tagSetId != currentTagSet) {
            if (tagSetId < currentTagSet) {
                throw new IllegalStateException("tag sets must be added in ascending id order");
            }
            flushBlock();
            closeTagSet();
            currentSeries.tagSets.add(new int[]{tagSetId, blocks.size(), 0});
            currentTagSet = tagSetId;
        } else if (first <= lastTs) {
            throw new IllegalStateException("points of a run must be strictly ascending in time");
        } else {
            flushBlock();
        }
        int at = source.load(b); // checks the CRC, count and section length
        int len = src.length(b);
        int n = src.count(b);
        long offset = written + out.size();
        out.writeBytes(source.bytes(), at, len);
        blocks.add(offset, len, n, first, src.maxTs(b), src.min(b), src.max(b), src.sum(b), src.first(b), src.last(b));
        points += n;
        minTs = Math.min(minTs, first);
        maxTs = Math.max(maxTs, src.maxTs(b));
        lastTs = src.maxTs(b);
        if (out.size() >= FLUSH_BYTES) {
            drain();
        }
    }

    /**
     * Whether {@link #append} would end a block holding {@code count} points, the last at
     * {@code lastTs}, before a point at {@code nextTs} of the same tag set. Compaction copies a
     * block verbatim only where re-encoding would also have ended it, so that the output is the
     * same file either way.
     */
    public boolean endsBlock(int count, long lastTs, long nextTs) {
        return count >= maxBlockPoints || (count >= minSpanPoints && nextTs > spanLast(lastTs));
    }

    /**
     * Whether a block of {@code count} points from {@code minTs} to {@code maxTs} is surely one this
     * writer could have written: no more points than its limit, and either no span boundary crossed or
     * too few points for a boundary to have ended it. (A larger block that crosses a boundary may be
     * one this writer wrote, but only its timestamps could tell.) A block of an older segment written
     * with other options may not be; compaction re-encodes it rather than copying it.
     */
    public boolean couldHaveWritten(int count, long minTs, long maxTs) {
        return count <= maxBlockPoints && (maxTs <= spanLast(minTs) || count <= minSpanPoints);
    }

    /**
     * The last instant of the span holding {@code t}; {@code Long.MAX_VALUE} without spans, and for
     * the last span, which reaches past the last instant. Inclusive, so that "no later span" and "a
     * span starting at {@code Long.MAX_VALUE}" (when the span divides it) stay apart.
     */
    private long spanLast(long t) {
        if (blockSpanNanos == 0) {
            return Long.MAX_VALUE;
        }
        // t + (distance to the span's last instant): no intermediate that could wrap below Long.MIN_VALUE
        long last = t + (blockSpanNanos - 1 - Math.floorMod(t, blockSpanNanos));
        return last < t ? Long.MAX_VALUE : last;
    }

    public void endSeries() {
        flushBlock();
        closeTagSet();
        if (!currentSeries.tagSets.isEmpty()) {
            series.add(currentSeries);
        }
        currentSeries = null;
        currentTagSet = -1;
    }

    private void closeTagSet() {
        if (currentTagSet >= 0) {
            int[] t = currentSeries.tagSets.get(currentSeries.tagSets.size() - 1);
            t[2] = blocks.size() - t[1];
        }
    }

    private void flushBlock() {
        int n = blockSize;
        if (n == 0) {
            return;
        }
        long offset = written + out.size();
        int start = out.size();
        out.writeInt(n);
        int tsLenPos = out.size();
        out.writeInt(0);
        TimestampCodec.encode(blockTs, 0, n, out);
        out.putInt(tsLenPos, out.size() - tsLenPos - 4);
        ValueCodec.encode(blockValues, 0, n, out);
        out.writeInt(FileFormat.crc32c(out.array(), start, out.size() - start));
        double min;
        double max;
        double sum;
        if (ValueCodec.integerStats(out, stats)) { // integers: the codec's analysis has them, exactly
            min = stats[0];
            max = stats[1];
            sum = stats[2];
        } else {
            min = blockValues[0];
            max = blockValues[0];
            sum = 0;
            for (int i = 0; i < n; i++) { // Math.min/max are intrinsics; both propagate NaN
                double v = blockValues[i];
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            if (Double.isNaN(min)) { // some value is NaN: the min of the others, NaN only if all are (BlockStats)
                min = blockValues[0];
                for (int i = 1; i < n; i++) {
                    min = BlockStats.min(min, blockValues[i]);
                }
            }
        }
        blocks.add(offset, out.size() - start, n, blockTs[0], blockTs[n - 1], min, max, sum, blockValues[0], blockValues[n - 1]);
        points += n;
        minTs = Math.min(minTs, blockTs[0]);
        maxTs = Math.max(maxTs, blockTs[n - 1]);
        blockSize = 0;
        if (out.size() >= FLUSH_BYTES) {
            drain();
        }
    }

    private void drain() {
        try {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(out.array(), 0, out.size()));
        } catch (IOException e) {
            throw StorageException.of("write segment file", tmp, e);
        }
        written += out.size();
        out.clear();
    }

    /** The path the segment is installed at by {@link #finish}. */
    public Path target() {
        return target;
    }

    public long points() {
        return points + blockSize;
    }

    /** Writes index and footer, fsyncs, renames into place and fsyncs the directory. */
    public Result finish() {
        if (currentSeries != null) {
            endSeries();
        }
        long indexOffset = written + out.size();
        // room for the whole index at once (not doubling up to a few MB): block entries are fixed-size
        int tagSets = 0;
        for (SeriesEntry s : series) {
            tagSets += s.tagSets.size();
        }
        out.reserve((long) blocks.size() * SegmentFormat.BLOCK_META_BYTES + 10L * tagSets + 64L * series.size() + 64);
        int indexStart = out.size();
        out.writeVarLong(series.size());
        for (SeriesEntry s : series) {
            Strings.write(out, s.name);
            out.writeVarLong(s.tagSets.size());
            for (int[] t : s.tagSets) {
                out.writeVarLong(t[0]);
                out.writeVarLong(t[2]);
                for (int b = t[1]; b < t[1] + t[2]; b++) {
                    blocks.write(b, out);
                }
            }
        }
        int indexLength = out.size() - indexStart;
        int indexCrc = FileFormat.crc32c(out.array(), indexStart, indexLength);
        int footerStart = out.size();
        out.writeLong(indexOffset);
        out.writeInt(indexLength);
        out.writeInt(indexCrc);
        out.writeLong(points);
        out.writeInt(FileFormat.crc32c(out.array(), footerStart, 24));
        out.writeBytes(SegmentFormat.FOOTER_MAGIC, 0, 4);
        drain();
        try {
            ch.force(true);
            ch.close();
        } catch (IOException e) {
            throw StorageException.of("fsync segment file", tmp, e);
        }
        AtomicFiles.install(tmp, target);
        finished = true;
        return new Result(target, written, points, minTs, maxTs);
    }

    @Override
    public void close() {
        if (!finished) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the temporary file is deleted below, or at the next open
            }
            AtomicFiles.deleteQuietly(tmp);
        }
    }
}
