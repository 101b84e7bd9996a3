package io.ugnos.engine.segment;

/**
 * The raw blocks of one segment, for copying them into another segment as they are
 * ({@link SegmentWriter#appendBlockOf}). Blocks are read through a window of up to
 * {@value #WINDOW_BYTES} bytes of the file (less when a compaction has many inputs, {@link #windowFor}): a compaction asks for each input's blocks in file
 * order (series by name, tag sets by id, blocks by time, the order they were written in), so the
 * thousands of small blocks of a bulk load (150-250 bytes each) take a few large reads instead of
 * one positional read each. Any order works; out-of-order requests only read more.
 * Every block's checksum, point count and section length are verified as
 * {@link SegmentReader#readBlock} verifies them. One per compaction and input; not thread-safe.
 */
public final class BlockCopySource {
    static final int WINDOW_BYTES = 256 << 10;
    /** The smallest window: still a few dozen blocks a read. */
    static final int MIN_WINDOW_BYTES = 16 << 10;
    /** What the windows of one compaction may hold in all, whatever its number of inputs. */
    static final int BUDGET_BYTES = 32 << 20;

    private final SegmentReader segment;
    private final int windowBytes;
    private byte[] window = new byte[0];
    private long windowStart; // file offset of window[0]
    private int windowSize; // valid bytes in window

    /** A source with the largest window. */
    public BlockCopySource(SegmentReader segment) {
        this(segment, WINDOW_BYTES);
    }

    /** A source reading through windows of {@code windowBytes} (a block larger than that is read whole). */
    public BlockCopySource(SegmentReader segment, int windowBytes) {
        this.segment = segment;
        this.windowBytes = windowBytes;
    }

    /**
     * The window for each of a compaction's {@code inputs} sources, so that all of them together
     * stay within {@value #BUDGET_BYTES} bytes: a full compaction of a year of daily segments
     * would otherwise hold 256 KiB for each of 365 inputs until it ends.
     */
    public static int windowFor(int inputs) {
        return Math.max(MIN_WINDOW_BYTES, Math.min(WINDOW_BYTES, BUDGET_BYTES / Math.max(1, inputs)));
    }

    public SegmentReader segment() {
        return segment;
    }

    /** Reads block {@code b} if the window lacks it, verifies it and returns its position in {@link #bytes()}. */
    int load(int b) {
        BlockTable t = segment.blocks();
        long off = t.offset(b);
        int len = t.length(b);
        if (off < windowStart || off + len > windowStart + windowSize) {
            // the index was checked at open: every block lies inside the file
            int want = (int) Math.max(len, Math.min(windowBytes, segment.fileBytes() - off));
            if (window.length < want) {
                window = new byte[Math.max(want, Math.min(windowBytes, 2 * window.length))];
            }
            windowSize = 0; // nothing valid if the read fails
            segment.readRaw(off, window, want);
            windowStart = off;
            windowSize = want;
        }
        int pos = (int) (off - windowStart);
        segment.checkRaw(window, pos, b);
        return pos;
    }

    /** The window {@link #load} returns positions in; valid until the next load. */
    byte[] bytes() {
        return window;
    }
}
