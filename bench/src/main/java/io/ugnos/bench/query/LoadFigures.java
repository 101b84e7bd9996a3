package io.ugnos.bench.query;

/**
 * What loading the dataset into one system cost.
 *
 * @param seconds   wall time from the first row to durable, compacted (or checkpointed) storage;
 *                  includes generating the rows (measured alone as the generator's own time)
 * @param diskBytes bytes allocated to the store's files afterwards ({@code du})
 * @param apparentBytes the apparent sizes of the store's files afterwards
 * @param rows      TSBS rows loaded (host × tick)
 * @param points    points loaded (rows × 10)
 * @param note      how the data was loaded, for the report
 */
public record LoadFigures(double seconds, long diskBytes, long apparentBytes, long rows, long points, String note) {
    /** Rows per second. */
    public double rowsPerSecond() {
        return rows / seconds;
    }

    /** Points per second. */
    public double pointsPerSecond() {
        return points / seconds;
    }

    /** Bytes on disk per point. */
    public double bytesPerPoint() {
        return (double) diskBytes / points;
    }
}
