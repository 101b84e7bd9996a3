package io.ugnos.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of an open database, cheap to update from any thread; {@link #snapshot()} reads them all. */
public final class EngineStats {
    final LongAdder pointsWritten = new LongAdder();
    final LongAdder batchesWritten = new LongAdder();
    final LongAdder pointsDropped = new LongAdder();
    final LongAdder segmentsWritten = new LongAdder();
    final LongAdder segmentBytesWritten = new LongAdder();
    final LongAdder compactions = new LongAdder();
    final LongAdder compactionBytesWritten = new LongAdder();
    final LongAdder compactionBlocksCopied = new LongAdder();
    final LongAdder compactionBlocksMerged = new LongAdder();
    final LongAdder segmentsDroppedByRetention = new LongAdder();
    final LongAdder compactionFailures = new LongAdder();
    final LongAdder queries = new LongAdder();
    final LongAdder blocksDecoded = new LongAdder();
    final LongAdder blocksFromHeaders = new LongAdder();
    final LongAdder walBytes = new LongAdder();
    final LongAdder walRecordsReplayed = new LongAdder();
    final LongAdder walTornBytes = new LongAdder();
    final LongAdder flushes = new LongAdder();
    final LongAdder flushFailures = new LongAdder();
    final LongAdder writeStalls = new LongAdder();
    final LongAdder walSyncs = new LongAdder();
    final LongAdder segmentsQuarantined = new LongAdder();

    /** Every counter by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("points_written", pointsWritten.sum());
        m.put("batches_written", batchesWritten.sum());
        m.put("points_dropped_by_retention", pointsDropped.sum());
        m.put("segments_written", segmentsWritten.sum());
        m.put("segment_bytes_written", segmentBytesWritten.sum());
        m.put("compactions", compactions.sum());
        m.put("compaction_bytes_written", compactionBytesWritten.sum());
        m.put("compaction_blocks_copied", compactionBlocksCopied.sum());
        m.put("compaction_blocks_merged", compactionBlocksMerged.sum());
        m.put("segments_dropped_by_retention", segmentsDroppedByRetention.sum());
        m.put("compaction_failures", compactionFailures.sum());
        m.put("queries", queries.sum());
        m.put("blocks_decoded", blocksDecoded.sum());
        m.put("blocks_from_headers", blocksFromHeaders.sum());
        m.put("wal_bytes", walBytes.sum());
        m.put("wal_syncs", walSyncs.sum());
        m.put("wal_records_replayed", walRecordsReplayed.sum());
        m.put("wal_torn_tail_bytes", walTornBytes.sum());
        m.put("flushes", flushes.sum());
        m.put("flush_failures", flushFailures.sum());
        m.put("write_stalls", writeStalls.sum());
        m.put("segments_quarantined", segmentsQuarantined.sum());
        return m;
    }

    public long get(String name) {
        Long v = snapshot().get(name);
        if (v == null) {
            throw new IllegalArgumentException("no counter " + name + "; known: " + snapshot().keySet());
        }
        return v;
    }
}
