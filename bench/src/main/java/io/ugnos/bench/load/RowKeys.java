package io.ugnos.bench.load;

/**
 * How a load client's rows are keyed, so that every row is unique and can be found again: client
 * {@code c}'s row number {@code seq} goes to one series with tag {@code client = c} at
 * {@code ts_ns = base + seq·1000} and {@code value = seq}. A client's row numbers are its own, so the
 * key (series, client, ts) is unique; one millisecond of time holds 1000 of a client's row numbers.
 *
 * @param baseNanos the first row's timestamp (now, rounded to the millisecond, so that a retention
 *                  of days keeps every row)
 * @param series    how many series the rows are spread over
 */
record RowKeys(long baseNanos, int series) {
    static final long STEP_NANOS = 1_000;
    static final String SERIES_PREFIX = "load_";

    static RowKeys startingNow(int series) {
        return new RowKeys(System.currentTimeMillis() * 1_000_000, series);
    }

    String seriesName(int index) {
        return SERIES_PREFIX + index;
    }

    long tsNanos(long seq) {
        return baseNanos + seq * STEP_NANOS;
    }

    /** The row number of {@code tsNanos}, or -1 when no row number maps to it. */
    long seqOf(long tsNanos) {
        long d = tsNanos - baseNanos;
        return d < 0 || d % STEP_NANOS != 0 ? -1 : d / STEP_NANOS;
    }
}
