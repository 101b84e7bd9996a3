package io.ugnos.bench.peer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Measures the bytes each column of a checkpointed DuckDB database occupies.
 *
 * <p>DuckDB 1.4's {@code pragma_storage_info} has no size column: a persistent segment only gives
 * its {@code block_id} and {@code block_offset}. Segments of all tables are packed into shared
 * 256 KiB blocks, and blocks can hold dead bytes (segments superseded while loading), so neither
 * "distance to the next segment" nor "up to the last non-zero byte" is reliable. Instead each
 * segment's size is read from the segment itself, where DuckDB 1.4.4 records it at finalisation:
 * <ul>
 *   <li>ALP, ALPRD: a {@code uint32} at offset 0 holds the total segment size (the whole block
 *       when the segment was not compacted, which is then its real cost);</li>
 *   <li>BitPacking: a {@code uint64} at offset 0 holds the total segment size;</li>
 *   <li>RLE: a {@code uint64} at offset 0 holds the offset of the run lengths, after an 8-byte
 *       header and the run values; the size adds one {@code uint16} run length per value;</li>
 *   <li>Dictionary: the second {@code uint32} of its header is the end of the dictionary, which is
 *       the segment size;</li>
 *   <li>Uncompressed fixed-width: count × width; Constant: nothing.</li>
 * </ul>
 * Each such size is checked to fit before the next segment of the block (or the block's end). Any
 * other compression, or a size that does not fit, falls back to the distance to the next segment
 * (or block end) and marks the column as not exact. Blocks follow the three 4 KiB file headers and
 * start with an 8-byte checksum; if the file does not have that shape, nothing is read and all
 * sizes fall back.
 */
final class DuckDbStorage {

    /** Bytes DuckDB reserves at the start of each block for its checksum. */
    static final long BLOCK_HEADER_BYTES = 8;
    /** The main header and the two database headers at the start of the file. */
    static final long FILE_HEADER_BYTES = 3 * 4096;

    /**
     * What one column occupies.
     *
     * @param bytes                 sum of its segments' sizes (validity included)
     * @param exact                 whether every size was read from a segment header
     * @param segmentsByCompression data segments (not validity) per compression
     */
    record ColumnBytes(long bytes, boolean exact, Map<String, Integer> segmentsByCompression) {
        /** e.g. {@code "ALPRD"} or {@code "ALP x30, Uncompressed x2"}. */
        String compression() {
            if (segmentsByCompression.size() == 1) {
                return segmentsByCompression.keySet().iterator().next();
            }
            return segmentsByCompression.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .map(e -> e.getKey() + " x" + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * The measurement of one database.
     *
     * @param blockSize   DuckDB's block size (256 KiB by default)
     * @param totalBlocks blocks in the file
     * @param freeBlocks  blocks in the file that hold nothing (left over from earlier writes)
     * @param columns     {@code "table.column"} to its bytes, sorted by key
     */
    record Report(long blockSize, long totalBlocks, long freeBlocks, Map<String, ColumnBytes> columns) {
    }

    private record Segment(String key, String type, String compression, long count, long blockId, long offset,
                           int additionalBlocks) {
        boolean validity() {
            return "VALIDITY".equals(type);
        }
    }

    private DuckDbStorage() {
    }

    /**
     * Measures every table of the main database, whose file is {@code file}. Call right after
     * {@code CHECKPOINT}, with nothing else writing to the database.
     */
    static Report measure(Connection c, Path file) throws SQLException, IOException {
        long[] size = databaseSize(c);
        long blockSize = size[0];
        long payload = blockSize - BLOCK_HEADER_BYTES;
        List<Segment> segments = new ArrayList<>();
        for (String table : tables(c)) {
            segments.addAll(segments(c, table));
        }
        Map<String, long[]> bytes = new TreeMap<>(); // key -> {bytes, inexact segments}
        Map<String, Map<String, Integer>> compressions = new HashMap<>();
        for (Segment s : segments) {
            long[] b = bytes.computeIfAbsent(s.key(), k -> new long[2]);
            if (!s.validity()) {
                compressions.computeIfAbsent(s.key(), k -> new TreeMap<>()).merge(s.compression(), 1, Integer::sum);
            }
            if (s.additionalBlocks() > 0) {
                b[0] += s.additionalBlocks() * payload;
                b[1]++;
            }
        }
        Map<Long, List<Segment>> byBlock = segments.stream().filter(s -> s.blockId() >= 0)
                .collect(Collectors.groupingBy(Segment::blockId));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean readable = ch.size() == FILE_HEADER_BYTES + size[1] * blockSize;
            ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (List<Segment> inBlock : byBlock.values()) {
                inBlock.sort(Comparator.comparingLong(Segment::offset));
                for (int i = 0; i < inBlock.size(); i++) {
                    Segment s = inBlock.get(i);
                    long room = (i + 1 < inBlock.size() ? inBlock.get(i + 1).offset() : payload) - s.offset();
                    long known = readable ? sizeFromHeader(ch, blockSize, s, header) : -1;
                    long[] b = bytes.get(s.key());
                    if (known >= 0 && known <= room) {
                        b[0] += known;
                    } else {
                        b[0] += room;
                        b[1]++;
                    }
                }
            }
        }
        Map<String, ColumnBytes> out = new LinkedHashMap<>();
        bytes.forEach((key, b) -> out.put(key,
                new ColumnBytes(b[0], b[1] == 0, Map.copyOf(compressions.getOrDefault(key, Map.of())))));
        return new Report(blockSize, size[1], size[2], out);
    }

    /** The segment's size as recorded in its own header, or -1 if its format is not known here. */
    private static long sizeFromHeader(FileChannel ch, long blockSize, Segment s, ByteBuffer header)
            throws IOException {
        int width = fixedWidth(s.type());
        switch (s.compression()) {
            case "Constant":
                return 0;
            case "Uncompressed":
                return width > 0 ? s.count() * width : -1;
            case "ALP":
            case "ALPRD":
                return Integer.toUnsignedLong(read(ch, blockSize, s, header).getInt(0));
            case "BitPacking":
                return read(ch, blockSize, s, header).getLong(0);
            case "RLE":
                if (width <= 0) {
                    return -1;
                }
                long countsOffset = read(ch, blockSize, s, header).getLong(0);
                return countsOffset + (countsOffset - 8) / width * 2;
            case "Dictionary":
                return Integer.toUnsignedLong(read(ch, blockSize, s, header).getInt(4));
            default:
                return -1;
        }
    }

    private static ByteBuffer read(FileChannel ch, long blockSize, Segment s, ByteBuffer header) throws IOException {
        header.clear();
        long position = FILE_HEADER_BYTES + s.blockId() * blockSize + BLOCK_HEADER_BYTES + s.offset();
        while (header.hasRemaining()) {
            if (ch.read(header, position + header.position()) < 0) {
                throw new IOException("segment header beyond the end of the file: " + s);
            }
        }
        return header;
    }

    /** Width in bytes of fixed-width types stored as 8-byte values (the only ones used here). */
    private static int fixedWidth(String type) {
        return switch (type) {
            case "BIGINT", "UBIGINT", "DOUBLE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S",
                    "TIMESTAMP WITH TIME ZONE" -> 8;
            default -> -1;
        };
    }

    /** {block_size, total_blocks, free_blocks} of the current database. */
    private static long[] databaseSize(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT block_size, total_blocks, free_blocks FROM pragma_database_size() "
                     + "WHERE database_name = current_database()")) {
            if (!rs.next()) {
                throw new SQLException("pragma_database_size() has no row for the current database");
            }
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables() "
                     + "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    private static List<Segment> segments(Connection c, String table) throws SQLException {
        List<Segment> out = new ArrayList<>();
        String sql = "SELECT column_name, segment_type, compression, count, block_id, block_offset, persistent, "
                + "len(additional_block_ids) FROM pragma_storage_info('" + table.replace("'", "''") + "')";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                if (!rs.getBoolean(7)) {
                    throw new SQLException("segment of " + table + " is not persistent: CHECKPOINT first");
                }
                out.add(new Segment(table + "." + rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getInt(8)));
            }
        }
        return out;
    }
}
