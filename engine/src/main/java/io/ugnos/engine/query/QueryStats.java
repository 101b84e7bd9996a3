package io.ugnos.engine.query;

/**
 * What a query touched, so that tests and {@code EXPLAIN} can show pruning at work without timings.
 */
public final class QueryStats {
    long segmentsConsidered;
    long segmentsPruned;
    long tagSetsMatched;
    long blocksDecoded;
    long blocksFromHeaders;
    long pointsDecoded;
    long blocksSkipped;

    /** Segments the query looked at (those live when it started). */
    public long segmentsConsidered() {
        return segmentsConsidered;
    }

    /** Segments skipped whole, by time range or because they hold no matching tag set. */
    public long segmentsPruned() {
        return segmentsPruned;
    }

    /** Tag sets that satisfied the tag predicate. */
    public long tagSetsMatched() {
        return tagSetsMatched;
    }

    /** Blocks read from disk and decoded. */
    public long blocksDecoded() {
        return blocksDecoded;
    }

    /** Blocks whose contribution to an aggregate came from their header alone. */
    public long blocksFromHeaders() {
        return blocksFromHeaders;
    }

    /**
     * Blocks a scan passed over undecoded because its value range or wanted timestamps ruled them out
     * (by their header's value bounds, or by time bounds holding no wanted timestamp).
     */
    public long blocksSkipped() {
        return blocksSkipped;
    }

    public long pointsDecoded() {
        return pointsDecoded;
    }

    @Override
    public String toString() {
        return "segments=" + segmentsConsidered + " (pruned " + segmentsPruned + "), tagSets=" + tagSetsMatched
                + ", blocksDecoded=" + blocksDecoded + ", blocksFromHeaders=" + blocksFromHeaders
                + ", blocksSkipped=" + blocksSkipped + ", pointsDecoded=" + pointsDecoded;
    }
}
