package io.ugnos.engine.query;

import io.ugnos.engine.index.TagSet;

/**
 * The timestamps a scan should return per tag set, a semi-join pushed into the scan: the family
 * table scans its filtered field first, then asks the other fields only for the timestamps where
 * the filter held. Clusters of blocks holding none of them are skipped without being decoded.
 */
@FunctionalInterface
public interface TimestampFilter {
    /**
     * The wanted timestamps of {@code tagSet}, strictly ascending; null or empty to skip the tag
     * set. The array must not change while the scan runs.
     */
    long[] timestamps(TagSet tagSet);
}
