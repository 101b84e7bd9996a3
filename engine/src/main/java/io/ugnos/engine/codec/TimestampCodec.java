package io.ugnos.engine.codec;

/**
 * Encodes and decodes the timestamps of one block. The encoding is self-describing: its first byte
 * is the codec id, so blocks written with different codecs can sit side by side.
 *
 * <p>Timestamps are arbitrary {@code long} values in any order (ascending, equal, descending,
 * {@code Long.MIN_VALUE}/{@code MAX_VALUE}); deltas use wrapping arithmetic, which round-trips
 * exactly because decoding wraps the same way. The codecs:
 * <ul>
 *   <li>{@value #REGULAR} REGULAR: all deltas equal (always so for one or two points): first
 *       timestamp and the delta; a few bytes for the whole block.</li>
 *   <li>{@value #DOD} DOD: Gorilla-style delta-of-delta with prefix-coded buckets sized for
 *       nanosecond timestamps.</li>
 *   <li>{@value #DELTA_FOR} DELTA_FOR: deltas minus their minimum, divided by their greatest common
 *       divisor, bit-packed at one width; wins on uniform jitter and on coarse-precision clocks.</li>
 * </ul>
 * {@link #encode} uses REGULAR whenever it applies (nothing is smaller) and otherwise the smaller of
 * DOD and DELTA_FOR. Byte layouts are in docs/formats.md and in each codec's class comment.
 */
public final class TimestampCodec {
    static final int REGULAR = 1;
    static final int DOD = 2;
    static final int DELTA_FOR = 3;

    private TimestampCodec() {
    }

    /**
     * Appends the encoding of {@code ts[off, off + n)} to {@code out}.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     * @throws IndexOutOfBoundsException if the range is outside {@code ts}
     */
    public static void encode(long[] ts, int off, int n, EncodeBuffer out) {
        Args.checkEncode(ts.length, off, n);
        if (RegularTimestamps.applies(ts, off, n)) {
            RegularTimestamps.encode(ts, off, n, out);
            return;
        }
        long dod = DodTimestamps.size(ts, off, n);
        long packed = DeltaForTimestamps.analyze(ts, off, n, out.scratch());
        // on a tie DELTA_FOR: its decoder has no branches
        if (packed <= dod) {
            DeltaForTimestamps.encode(ts, off, n, out);
        } else {
            DodTimestamps.encode(ts, off, n, out);
        }
    }

    /**
     * Appends the encoding of {@code ts[off, off + n)} with the given codec (for tests and tools).
     *
     * @throws IllegalArgumentException if the codec is unknown, or REGULAR for a non-regular series
     */
    static void encode(int codec, long[] ts, int off, int n, EncodeBuffer out) {
        Args.checkEncode(ts.length, off, n);
        switch (codec) {
            case REGULAR -> {
                if (!RegularTimestamps.applies(ts, off, n)) {
                    throw new IllegalArgumentException("timestamps are not regular");
                }
                RegularTimestamps.encode(ts, off, n, out);
            }
            case DOD -> DodTimestamps.encode(ts, off, n, out);
            case DELTA_FOR -> {
                DeltaForTimestamps.analyze(ts, off, n, out.scratch());
                DeltaForTimestamps.encode(ts, off, n, out);
            }
            default -> throw new IllegalArgumentException("unknown timestamp codec " + codec);
        }
    }

    /**
     * Whether the timestamps encoded at {@code src[pos]} are REGULAR; then their first timestamp
     * and delta are put in {@code firstAndDelta[0]} and {@code [1]}: timestamp {@code i} is
     * {@code first + i * delta}. Reads a few bytes, decodes nothing; only bytes in
     * {@code [pos, limit)} are read.
     *
     * @throws CodecException if a REGULAR encoding is cut short by {@code limit}, or the range is outside {@code src}
     */
    public static boolean regular(byte[] src, int pos, int limit, long[] firstAndDelta) {
        Args.checkDecode(src.length, pos, limit, 1, 1, 0);
        if (ByteInput.u8(src, pos, limit) != REGULAR) {
            return false;
        }
        firstAndDelta[0] = ByteInput.i64(src, pos + 1, limit);
        int at = pos + 9;
        ByteInput.varLongEnd(src, at, limit); // throws when the delta is cut short
        firstAndDelta[1] = ByteInput.unzigzag(ByteInput.varLongAt(src, at));
        return true;
    }

    /**
     * Decodes {@code n} timestamps encoded at {@code src[pos]} into {@code dst[dstOff, dstOff + n)}.
     * Only bytes in {@code [pos, limit)} are read. Allocates nothing.
     *
     * @return the position just after the encoded timestamps
     * @throws CodecException if the bytes are not a valid encoding of {@code n} timestamps within
     *         {@code [pos, limit)}, if that range is outside {@code src}, or if {@code n < 1}
     * @throws IndexOutOfBoundsException if {@code dst} has no room for {@code n} values at {@code dstOff}
     */
    public static int decode(byte[] src, int pos, int limit, int n, long[] dst, int dstOff) {
        Args.checkDecode(src.length, pos, limit, n, dst.length, dstOff);
        int codec = ByteInput.u8(src, pos, limit);
        return switch (codec) {
            case REGULAR -> RegularTimestamps.decode(src, pos + 1, limit, n, dst, dstOff);
            case DOD -> DodTimestamps.decode(src, pos + 1, limit, n, dst, dstOff);
            case DELTA_FOR -> DeltaForTimestamps.decode(src, pos + 1, limit, n, dst, dstOff);
            default -> throw new CodecException("unknown timestamp codec id " + codec + " at position " + pos);
        };
    }
}
