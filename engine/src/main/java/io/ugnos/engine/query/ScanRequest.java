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
 */
public record ScanRequest(String series, TimeRange range, TagPredicate tags, boolean timestamps, boolean values,
                          int batchSize) {
    public static final int DEFAULT_BATCH = 4096;

    public ScanRequest {
        Names.checkSeries(series);
        if (range == null || tags == null) {
            throw new IllegalArgumentException("range and tags are required (use TimeRange.ALL, TagPredicate.ALL)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
    }

    public static ScanRequest of(String series, TimeRange range, TagPredicate tags) {
        return new ScanRequest(series, range, tags, true, true, DEFAULT_BATCH);
    }

    public static ScanRequest all(String series) {
        return of(series, TimeRange.ALL, TagPredicate.ALL);
    }

    public ScanRequest withProjection(boolean timestamps, boolean values) {
        return new ScanRequest(series, range, tags, timestamps, values, batchSize);
    }
}
