package io.ugnos.engine.segment;

import io.ugnos.engine.CorruptionException;
import io.ugnos.engine.StorageException;
import io.ugnos.engine.codec.CodecException;
import io.ugnos.engine.codec.TimestampCodec;
import io.ugnos.engine.codec.ValueCodec;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.FileFormat;
import io.ugnos.engine.format.FormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open, verified segment file. Opening checks header, footer and index checksums and the
 * plausibility of every block header; reading a block checks its CRC32C before decoding, so a
 * damaged file yields a {@link CorruptionException} naming the file and offset, never garbage.
 *
 * <p>Blocks are read with positional reads (not memory mapping): a file truncated behind our back
 * then fails with an error instead of crashing the JVM with SIGBUS. Thread-safe.
 *
 * <p>Lifetime: each {@code Version} that lists this segment holds a reference; when the last
 * reference goes and the segment has been {@linkplain #markObsolete() removed from the manifest},
 * the file is closed and deleted.
 */
public final class SegmentReader {
    /** The tag sets and blocks of one series inside this segment. */
    public static final class SeriesIndex {
        final String name;
        final int[] tagSetIds;
        final int[] blockStart; // tag set i owns blocks [blockStart[i], blockStart[i+1])
        final long minTs;
        final long maxTs;
        private volatile NewestBlocks newest;

        SeriesIndex(String name, int[] tagSetIds, int[] blockStart, long minTs, long maxTs) {
            this.name = name;
            this.tagSetIds = tagSetIds;
            this.blockStart = blockStart;
            this.minTs = minTs;
            this.maxTs = maxTs;
        }

        public int tagSetCount() {
            return tagSetIds.length;
        }

        public int tagSetId(int i) {
            return tagSetIds[i];
        }

        /** Position of {@code tagSetId} in this series, or a negative value when absent. */
        public int find(int tagSetId) {
            return Arrays.binarySearch(tagSetIds, tagSetId);
        }

        /**
         * {@link #find}, trying position {@code hint} first: a caller walking tag sets in ascending
         * id, as a query's matches are, mostly finds each one right after the previous one.
         */
        public int find(int tagSetId, int hint) {
            if (hint >= 0 && hint < tagSetIds.length && tagSetIds[hint] == tagSetId) {
                return hint;
            }
            return find(tagSetId);
        }

        public int firstBlock(int i) {
            return blockStart[i];
        }

        public int endBlock(int i) {
            return blockStart[i + 1];
        }

        public long minTs() {
            return minTs;
        }

        /**
         * The headers of each tag set's newest block (by position in this series), copied out of
         * {@code blocks} (this segment's table) on first use. Why: a latest-point query over a
         * hundred hosts reads one block header per host and series; in the block table those lie a
         * day of blocks apart, a cache line each per field, and here they are side by side.
         */
        public NewestBlocks newestBlocks(BlockTable blocks) {
            NewestBlocks n = newest;
            if (n == null) {
                int k = tagSetIds.length;
                long[] lo = new long[k];
                long[] hi = new long[k];
                double[] last = new double[k];
                for (int i = 0; i < k; i++) {
                    int b = blockStart[i + 1] - 1;
                    if (b < blockStart[i]) { // no block (the writer never does this): callers check the range
                        continue;
                    }
                    lo[i] = blocks.minTs(b);
                    hi[i] = blocks.maxTs(b);
                    last[i] = blocks.last(b);
                }
                n = new NewestBlocks(lo, hi, last);
                newest = n; // racing threads compute equal copies
            }
            return n;
        }

        public long maxTs() {
            return maxTs;
        }
    }

    /** Per tag set of a series (by position), the time span and last value of its newest block. */
    public record NewestBlocks(long[] minTs, long[] maxTs, double[] last) {
    }

    private final Path file;
    private final long id;
    private final long fileBytes;
    private final long points;
    private final Map<String, SeriesIndex> series;
    private final BlockTable blocks;
    private volatile FileChannel ch;
    private final AtomicInteger refs = new AtomicInteger();
    private volatile boolean obsolete;

    private SegmentReader(Path file, long id, FileChannel ch, long fileBytes, long points,
                          Map<String, SeriesIndex> series, BlockTable blocks) {
        this.file = file;
        this.id = id;
        this.ch = ch;
        this.fileBytes = fileBytes;
        this.points = points;
        this.series = series;
        this.blocks = blocks;
    }

    /** Opens and verifies {@code file}. */
    public static SegmentReader open(Path file, long id) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw StorageException.of("open segment", file, e);
        }
        try {
            return load(file, id, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SegmentReader load(Path file, long id, FileChannel ch) {
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            throw StorageException.of("read size of", file, e);
        }
        if (size < FileFormat.HEADER_BYTES + SegmentFormat.FOOTER_BYTES) {
            throw new CorruptionException(file, -1, "segment is " + size + " bytes, too short to hold header and footer (truncated)");
        }
        FileFormat.checkHeader(file, read(ch, file, 0, FileFormat.HEADER_BYTES), SegmentFormat.KIND, SegmentFormat.VERSION);
        long footerPos = size - SegmentFormat.FOOTER_BYTES;
        byte[] footer = read(ch, file, footerPos, SegmentFormat.FOOTER_BYTES);
        for (int i = 0; i < 4; i++) {
            if (footer[28 + i] != SegmentFormat.FOOTER_MAGIC[i]) {
                throw new CorruptionException(file, footerPos + 28, "segment footer magic missing (file truncated or overwritten)");
            }
        }
        if (ByteReader.i32At(footer, 24) != FileFormat.crc32c(footer, 0, 24)) {
            throw new CorruptionException(file, footerPos, "segment footer checksum mismatch");
        }
        long indexOffset = ByteReader.i64At(footer, 0);
        int indexLength = ByteReader.i32At(footer, 8);
        int indexCrc = ByteReader.i32At(footer, 12);
        long points = ByteReader.i64At(footer, 16);
        if (indexOffset < FileFormat.HEADER_BYTES || indexLength < 0 || indexOffset + indexLength != footerPos) {
            throw new CorruptionException(file, footerPos, "segment footer points to an index at " + indexOffset
                    + " of " + indexLength + " bytes, outside the file");
        }
        byte[] index = read(ch, file, indexOffset, indexLength);
        if (FileFormat.crc32c(index, 0, indexLength) != indexCrc) {
            throw new CorruptionException(file, indexOffset, "segment index checksum mismatch");
        }
        BlockTable blocks = new BlockTable(indexLength / SegmentFormat.BLOCK_META_BYTES); // at most this many blocks
        Map<String, SeriesIndex> series = new HashMap<>();
        ByteReader in = new ByteReader(index, 0, indexLength);
        try {
            int seriesCount = in.count(indexLength);
            long total = 0;
            for (int s = 0; s < seriesCount; s++) {
                String name = in.string();
                int tagSets = in.count(indexLength);
                int[] ids = new int[tagSets];
                int[] start = new int[tagSets + 1];
                long lo = Long.MAX_VALUE;
                long hi = Long.MIN_VALUE;
                for (int t = 0; t < tagSets; t++) {
                    ids[t] = in.count(Integer.MAX_VALUE);
                    if (t > 0 && ids[t] <= ids[t - 1]) {
                        throw new FormatException("tag set ids of series " + name + " not ascending");
                    }
                    int n = in.count(in.remaining() / SegmentFormat.BLOCK_META_BYTES);
                    start[t] = blocks.size();
                    for (int b = 0; b < n; b++) {
                        int bi = blocks.size();
                        blocks.read(in);
                        checkBlock(blocks, bi, b == 0 ? Long.MIN_VALUE : blocks.maxTs(bi - 1), indexOffset);
                        total += blocks.count(bi);
                        lo = Math.min(lo, blocks.minTs(bi));
                        hi = Math.max(hi, blocks.maxTs(bi));
                    }
                }
                start[tagSets] = blocks.size();
                if (series.put(name, new SeriesIndex(name, ids, start, lo, hi)) != null) {
                    throw new FormatException("series " + name + " listed twice");
                }
            }
            if (in.remaining() != 0) {
                throw new FormatException(in.remaining() + " unexpected bytes after the last series");
            }
            if (total != points) {
                throw new FormatException("blocks hold " + total + " points but the footer says " + points);
            }
        } catch (FormatException e) {
            throw new CorruptionException(file, indexOffset + in.position(), "segment index is malformed: " + e.getMessage());
        }
        return new SegmentReader(file, id, ch, size, points, series, blocks);
    }

    private static void checkBlock(BlockTable t, int b, long prevMaxTs, long dataEnd) {
        long off = t.offset(b);
        int len = t.length(b);
        int min = SegmentFormat.BLOCK_PREFIX_BYTES + SegmentFormat.BLOCK_CRC_BYTES;
        if (off < FileFormat.HEADER_BYTES || len < min || off + len > dataEnd) {
            throw new FormatException("block at " + off + " of " + len + " bytes lies outside the data region");
        }
        if (t.count(b) <= 0 || t.minTs(b) > t.maxTs(b) || t.minTs(b) <= prevMaxTs && prevMaxTs != Long.MIN_VALUE) {
            throw new FormatException("block at " + off + " has an implausible header");
        }
    }

    private static byte[] read(FileChannel ch, Path file, long pos, int len) {
        byte[] b = new byte[len];
        readInto(ch, file, pos, b, len);
        return b;
    }

    private static void readInto(FileChannel ch, Path file, long pos, byte[] b, int len) {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
        try {
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) {
                    throw new CorruptionException(file, pos + buf.position(), "unexpected end of file (truncated)");
                }
            }
        } catch (IOException e) {
            throw StorageException.of("read", file, e);
        }
    }

    public long id() {
        return id;
    }

    public Path file() {
        return file;
    }

    public long fileBytes() {
        return fileBytes;
    }

    public long points() {
        return points;
    }

    public BlockTable blocks() {
        return blocks;
    }

    /** The index of {@code name} in this segment, or null when the segment holds none of it. */
    public SeriesIndex series(String name) {
        return series.get(name);
    }

    public Set<String> seriesNames() {
        return series.keySet();
    }

    /**
     * Reads block {@code b}, checks its CRC and decodes it into {@code out}.
     *
     * @param needTs     decode the timestamps (skipped for value-only work)
     * @param needValues decode the values (skipped for time-only work)
     */
    public void readBlock(int b, DecodedBlock out, boolean needTs, boolean needValues) {
        readBlock(b, b, out, needTs, needValues);
    }

    /** Whether block {@code b}'s bytes are in {@code out}'s window already (read ahead by an earlier call). */
    public boolean inWindow(int b, DecodedBlock out) {
        return out.holds(this, blocks.offset(b), blocks.length(b));
    }

    /** The most bytes read ahead at once: a day of one series and tag set in 10 s points is 10–60 KB. */
    static final int READ_AHEAD_BYTES = 64 << 10;

    /**
     * Reads block {@code b} as {@link #readBlock(int, DecodedBlock, boolean, boolean)} does. Its
     * bytes come from {@code out}'s window when an earlier call read them ahead; otherwise blocks
     * {@code b..last} that follow one another in the file (up to {@link #READ_AHEAD_BYTES}) are
     * read with one read, for the next calls. Each block's checksum is checked when it is decoded.
     *
     * @param last the last block the caller expects to read next, in order ({@code b}: none)
     */
    public void readBlock(int b, int last, DecodedBlock out, boolean needTs, boolean needValues) {
        readBlock(b, last, out, needTs, needValues, false);
    }

    /**
     * Reads block {@code b} as {@link #readBlock(int, int, DecodedBlock, boolean, boolean)} does.
     * With {@code regularUndecoded}, it tells whether its timestamps are REGULAR
     * ({@link DecodedBlock#isRegular}), and REGULAR timestamps are not decoded even when
     * {@code needTs}: the caller computes them from {@link DecodedBlock#regular}. Without it,
     * {@code isRegular} is false and the timestamp section's header is not read.
     */
    public void readBlock(int b, int last, DecodedBlock out, boolean needTs, boolean needValues, boolean regularUndecoded) {
        long off = blocks.offset(b);
        int len = blocks.length(b);
        int n = blocks.count(b);
        if (!out.holds(this, off, len)) {
            long end = off + len;
            for (int k = b + 1; k <= last && k < blocks.size() && blocks.offset(k) == end
                    && end + blocks.length(k) - off <= READ_AHEAD_BYTES; k++) {
                end += blocks.length(k);
            }
            int window = (int) (end - off);
            out.ensure(window, n);
            out.windowOf = null; // unless the read completes
            readRaw(off, out.raw, window);
            out.windowOf = this;
            out.windowStart = off;
            out.windowLen = window;
        } else {
            out.ensure(0, n);
        }
        byte[] raw = out.raw;
        int at = (int) (off - out.windowStart);
        out.rawOff = at;
        int tsLen = checkRaw(raw, at, b);
        int crcPos = at + len - SegmentFormat.BLOCK_CRC_BYTES;
        int tsStart = at + SegmentFormat.BLOCK_PREFIX_BYTES;
        try {
            out.isRegular = false; // unless asked and the block says so, below
            out.isRegular = regularUndecoded && TimestampCodec.regular(raw, tsStart, tsStart + tsLen, out.regular);
            if (needTs && !out.isRegular) {
                TimestampCodec.decode(raw, tsStart, tsStart + tsLen, n, out.ts, 0);
            }
            if (needValues) {
                ValueCodec.decode(raw, tsStart + tsLen, crcPos, n, out.values, 0);
            }
        } catch (CodecException e) {
            throw new CorruptionException(file, off, "block cannot be decoded: " + e.getMessage());
        }
        out.size = n;
    }

    /**
     * Verifies the raw bytes of block {@code b} at {@code raw[pos..]}: checksum, point count and
     * timestamp section length. Returns the timestamp section's length.
     */
    int checkRaw(byte[] raw, int pos, int b) {
        long off = blocks.offset(b);
        int len = blocks.length(b);
        int n = blocks.count(b);
        int crcPos = len - SegmentFormat.BLOCK_CRC_BYTES;
        if (ByteReader.i32At(raw, pos + crcPos) != FileFormat.crc32c(raw, pos, crcPos)) {
            throw new CorruptionException(file, off, "block checksum mismatch");
        }
        if (ByteReader.i32At(raw, pos) != n) {
            throw new CorruptionException(file, off, "block holds " + ByteReader.i32At(raw, pos)
                    + " points but the index says " + n);
        }
        int tsLen = ByteReader.i32At(raw, pos + 4);
        if (tsLen < 0 || tsLen > crcPos - SegmentFormat.BLOCK_PREFIX_BYTES) {
            throw new CorruptionException(file, off + 4, "timestamp section length " + tsLen + " exceeds the block");
        }
        return tsLen;
    }

    /** Reads the raw bytes of block {@code b} and verifies its checksum (used by integrity checks). */
    public void verifyBlock(int b, DecodedBlock scratch) {
        readBlock(b, scratch, true, true);
        if (scratch.ts[0] != blocks.minTs(b) || scratch.ts[scratch.size - 1] != blocks.maxTs(b)) {
            throw new CorruptionException(file, blocks.offset(b), "block timestamps disagree with its header");
        }
    }

    /** Reads {@code len} bytes at file offset {@code off} into {@code raw[0..len)}. */
    void readRaw(long off, byte[] raw, int len) {
        try {
            readInto(channel(), file, off, raw, len);
        } catch (StorageException e) {
            if (e.getCause() instanceof ClosedChannelException && !obsolete) {
                // an interrupted reader closes a FileChannel for everyone; reopen once and retry
                reopen();
                readInto(channel(), file, off, raw, len);
            } else {
                throw e;
            }
        }
    }

    private FileChannel channel() {
        return ch;
    }

    private synchronized void reopen() {
        if (!ch.isOpen()) {
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw StorageException.of("reopen segment", file, e);
            }
        }
    }

    /** Adds a reference (one per version that lists this segment). */
    public void ref() {
        refs.incrementAndGet();
    }

    /** Drops a reference; the last one closes the file, and deletes it when it is obsolete. */
    public void unref() {
        if (refs.decrementAndGet() == 0) {
            closeQuietly(ch);
            if (obsolete) {
                io.ugnos.engine.format.AtomicFiles.deleteQuietly(file);
            }
        }
    }

    /** Marks this segment as no longer in the manifest: its file goes when the last reader lets go. */
    public void markObsolete() {
        obsolete = true;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do: the file is immutable
        }
    }
}
