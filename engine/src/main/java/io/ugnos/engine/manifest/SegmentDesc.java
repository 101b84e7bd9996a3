package io.ugnos.engine.manifest;

/**
 * What the manifest records about one live segment.
 *
 * @param level     0 for segments flushed from memory (any time range), 1 for compacted, time-partitioned ones
 * @param partition for level 1, the start of the time partition the segment covers (epoch ns); 0 for level 0
 * @param minSeq    lowest write sequence number whose data the segment holds
 * @param maxSeq    highest write sequence number whose data the segment holds (later sequence wins on duplicates)
 */
public record SegmentDesc(long id, int level, long partition, long minTs, long maxTs, long minSeq, long maxSeq,
                          long points, long bytes) {
}
