package io.ugnos.engine.wal;

/**
 * Layout of a write-ahead log file (kind {@code WLOG}, version 2). Little-endian.
 *
 * <pre>
 * header  16 bytes   FileFormat header
 * record*            RecordLog framing (u32 length, u32 crc32c(payload), u32 crc32c(previous 8 bytes)), payload:
 *                      u64 sequence number (one per batch, strictly increasing across files)
 *                      u64 durable offset: how much of this file was known fsynced when the record was appended
 *                      varint seriesCount, per series:
 *                        string name, varint runCount, per run:
 *                          varint tagCount, tagCount x (string key, string value)
 *                          varint pointCount, pointCount x (i64 timestamp, f64 value)
 * </pre>
 * Files are named {@code wal/NNNNNNNNNNNN.log} by a counter that only grows; a file holds the records
 * of one memtable generation and is deleted once the manifest records a segment with its data.
 */
public final class WalFormat {
    public static final String KIND = "WLOG";
    public static final int VERSION = 2;
    public static final String DIR = "wal";
    public static final String SUFFIX = ".log";

    private WalFormat() {
    }

    public static String fileName(long number) {
        return String.format("%012d%s", number, SUFFIX);
    }
}
