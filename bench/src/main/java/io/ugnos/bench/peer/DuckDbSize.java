package io.ugnos.bench.peer;

import java.util.Map;

/**
 * What a dataset costs DuckDB on disk, as measured by {@link DuckDbLoader}.
 *
 * @param layout              narrow (a table per metric) or wide (one {@code cpu} table)
 * @param order               the row order the tables were stored in
 * @param fileBytes           size of the database file after {@code CHECKPOINT} (plus any WAL)
 * @param freeBytes           the part of {@code fileBytes} in free blocks (space DuckDB left
 *                            behind while loading and would reuse for later writes)
 * @param tsBytes             compressed bytes of all timestamp columns: the sum of their
 *                            segments' sizes (see {@link DuckDbStorage} for how they are read)
 * @param valueBytes          compressed bytes of all metric-value columns
 * @param exact               whether every ts/value segment size was read from the segment itself;
 *                            if false, some were taken as the room up to the next segment or the
 *                            block's end, and {@code tsBytes}/{@code valueBytes} are upper bounds
 * @param rows                rows loaded (generator rows; in the narrow layout each metric table
 *                            holds this many)
 * @param points              points loaded (rows × 10)
 * @param compressionByColumn {@code "table.column"} to the compression(s) DuckDB chose for it
 * @param bytesByColumn       {@code "table.column"} to its bytes, every column (tag columns may be
 *                            upper bounds, see {@link DuckDbStorage})
 * @param loadSeconds         wall time from opening the empty database through appending,
 *                            re-sorting (for {@link DuckDbLoader.RowOrder#BY_HOST}) and
 *                            {@code CHECKPOINT}
 */
public record DuckDbSize(DuckDbLoader.Layout layout, DuckDbLoader.RowOrder order, long fileBytes,
                         long freeBytes, long tsBytes, long valueBytes, boolean exact, long rows, long points,
                         Map<String, String> compressionByColumn, Map<String, Long> bytesByColumn,
                         double loadSeconds) {

    /** Copies the maps. */
    public DuckDbSize {
        compressionByColumn = Map.copyOf(compressionByColumn);
        bytesByColumn = Map.copyOf(bytesByColumn);
    }

    /** Timestamp bytes per point. */
    public double tsBytesPerPoint() {
        return (double) tsBytes / points;
    }

    /** Value bytes per point. */
    public double valueBytesPerPoint() {
        return (double) valueBytes / points;
    }

    /** Timestamp plus value bytes per point: the figure to set beside a TSDB's bytes per sample. */
    public double tsValueBytesPerPoint() {
        return (double) (tsBytes + valueBytes) / points;
    }

    /** Whole-file bytes per point (includes tags/hostnames, metadata, free blocks, block slack). */
    public double fileBytesPerPoint() {
        return (double) fileBytes / points;
    }

    /** File bytes per point without the free blocks. */
    public double usedFileBytesPerPoint() {
        return (double) (fileBytes - freeBytes) / points;
    }

    /** Rows loaded per second of {@link #loadSeconds}. */
    public double rowsPerSecond() {
        return rows / loadSeconds;
    }

    /** Points loaded per second of {@link #loadSeconds}. */
    public double pointsPerSecond() {
        return points / loadSeconds;
    }
}
