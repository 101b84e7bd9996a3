package io.ugnos.engine.segment;

/**
 * Byte layout of a segment file (version 1). Little-endian throughout; see docs/formats.md.
 *
 * <pre>
 * header   16 bytes   FileFormat header, kind "SEGM"
 * blocks   ...        one after another, each:
 *                       u32 count          points in the block
 *                       u32 tsBytes        length of the timestamp section
 *                       ts section         TimestampCodec (self-describing: codec id first)
 *                       value section      ValueCodec (self-describing), runs to the CRC
 *                       u32 crc32c         of every byte of the block before it
 * index    ...        varint seriesCount, then per series (sorted by name):
 *                       string name, varint tagSetCount, then per tag set (ascending id):
 *                         varint tagSetId, varint blockCount, then per block (ascending time) 72 bytes:
 *                           u64 offset, u32 length, u32 count, i64 minTs, i64 maxTs,
 *                           f64 min, f64 max, f64 sum, f64 first, f64 last
 * footer   32 bytes   u64 indexOffset, u32 indexLength, u32 indexCrc32c, u64 pointCount,
 *                     u32 crc32c of the previous 24 bytes, 4 bytes magic "UGNE"
 * </pre>
 * The per-block header (count, time range, min/max/sum/first/last) lives in the index, so pruning and
 * header-answered aggregates never touch the data region.
 */
public final class SegmentFormat {
    public static final String KIND = "SEGM";
    public static final int VERSION = 1;
    public static final int FOOTER_BYTES = 32;
    public static final int BLOCK_META_BYTES = 72;
    public static final int BLOCK_PREFIX_BYTES = 8;
    public static final int BLOCK_CRC_BYTES = 4;
    static final byte[] FOOTER_MAGIC = {'U', 'G', 'N', 'E'};
    public static final String SUFFIX = ".seg";

    private SegmentFormat() {
    }

    public static String fileName(long id) {
        return String.format("%012d%s", id, SUFFIX);
    }
}
