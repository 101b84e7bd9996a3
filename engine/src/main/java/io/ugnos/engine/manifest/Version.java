package io.ugnos.engine.manifest;

import io.ugnos.engine.segment.SegmentReader;

import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of live segments that a reader pins for the length of a query. Segments are
 * ordered by priority: ascending {@code maxSeq}, so that on equal timestamps the later entry wins.
 */
public final class Version {
    /** A live segment and what the manifest says of it. */
    public record Entry(SegmentDesc desc, SegmentReader reader) {
    }

    private final List<Entry> entries;
    private int pins; // guarded by the owning VersionSet

    Version(List<Entry> entries) {
        this.entries = entries.stream()
                .sorted(Comparator.comparingLong((Entry e) -> e.desc().maxSeq()).thenComparingLong(e -> e.desc().id()))
                .toList();
    }

    /** Live segments in ascending priority (later writes last). */
    public List<Entry> entries() {
        return entries;
    }

    int pins() {
        return pins;
    }

    void pin() {
        pins++;
    }

    boolean unpin() {
        return --pins == 0;
    }
}
