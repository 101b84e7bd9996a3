package io.ugnos.engine.query;

import io.ugnos.engine.Names;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;

/**
 * Points of one series in a time range whose tags satisfy a predicate.
 *
 * <pre>{@code
 * ScanRequest r = ScanRequest.of("cpu.usage_user", TimeRange.of(t0, t1), TagPredicate.eq("hostname", "host_3"));
 * }</pre>
 *
 * @param timestamps whether the caller needs timestamps (projection)
 * @param values     whether the caller needs values (projection)
 * @param batchSize  most points per returned batch
 * @param valueRange the values to keep ({@link ValueRange#ALL} for every point); blocks whose header
 *                   bounds rule it out are skipped undecoded
 * @param at         the only timestamps to return per tag set, or null for all of them; block
 *                   clusters holding none are skipped undecoded
 */
public record ScanRequest(String series, TimeRange range, TagPredicate tags, boolean timestamps, boolean values,
                          int batchSize, ValueRange valueRange, TimestampFilter at) {
    public static final int DEFAULT_BATCH = 4096;

    public ScanRequest {
        Names.checkSeries(series);
        if (range == null || tags == null) {
            throw new IllegalArgumentException("range and tags are required (use TimeRange.ALL, TagPredicate.ALL)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        if (valueRange == null) {
            throw new IllegalArgumentException("valueRange is required (use ValueRange.ALL)");
        }
    }

    /** A scan of every point in the range whose tags match. */
    public ScanRequest(String series, TimeRange range, TagPredicate tags, boolean timestamps, boolean values,
                       int batchSize) {
        this(series, range, tags, timestamps, values, batchSize, ValueRange.ALL, null);
    }

    public static ScanRequest of(String series, TimeRange range, TagPredicate tags) {
        return new ScanRequest(series, range, tags, true, true, DEFAULT_BATCH);
    }

    public static ScanRequest all(String series) {
        return of(series, TimeRange.ALL, TagPredicate.ALL);
    }

    public ScanRequest withProjection(boolean timestamps, boolean values) {
        return new ScanRequest(series, range, tags, timestamps, values, batchSize, valueRange, at);
    }

    /** The same scan keeping only values in {@code r}. */
    public ScanRequest withValueRange(ValueRange r) {
        return new ScanRequest(series, range, tags, timestamps, values, batchSize, r, at);
    }

    /** The same scan returning only the timestamps {@code f} gives per tag set. */
    public ScanRequest withTimestamps(TimestampFilter f) {
        return new ScanRequest(series, range, tags, timestamps, values, batchSize, valueRange, f);
    }

    /** Whether points are filtered by value or timestamp (so that each one is looked at). */
    boolean filtersPoints() {
        return at != null || !valueRange.isAll();
    }
}
