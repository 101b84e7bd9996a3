package io.ugnos.engine.query;

import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.index.TagSet;
import org.roaringbitmap.PeekableIntIterator;

/**
 * Pull-based result of a scan: batches of points, tag set by tag set (ascending id), each tag set's
 * points ascending in time. Holds a pinned version until closed, so close it (try-with-resources).
 *
 * <pre>{@code
 * try (ScanCursor c = db.scan(ScanRequest.all("cpu"))) {
 *     while (c.next()) {
 *         PointBatch b = c.batch();
 *         for (int i = 0; i < b.size(); i++) use(b.timestamps()[i], b.values()[i]);
 *     }
 * }
 * }</pre>
 */
public final class ScanCursor implements AutoCloseable {
    private final ScanRequest request;
    private final SeriesCatalog catalog;
    private final SeriesSources sources;
    private final PeekableIntIterator tagSets;
    private final TagSetMerger merger;
    private final QueryStats stats;
    private final PointBatch batch;
    private final Runnable onClose;
    private final long lo;
    private final long hi;
    private int currentTagSet = -1;
    private int pos; // next point of the materialized cluster
    private boolean closed;

    ScanCursor(ScanRequest request, SeriesCatalog catalog, SeriesSources sources, PeekableIntIterator tagSets,
               long lo, long hi, QueryStats stats, Runnable onClose) {
        this.request = request;
        this.catalog = catalog;
        this.sources = sources;
        this.tagSets = tagSets;
        this.lo = lo;
        this.hi = hi;
        this.stats = stats;
        this.merger = new TagSetMerger(stats);
        this.batch = new PointBatch(request.batchSize());
        this.onClose = onClose;
    }

    /** Advances to the next non-empty batch; false when the scan is complete. */
    public boolean next() {
        if (closed) {
            return false;
        }
        while (true) {
            if (currentTagSet >= 0 && pos < merger.outTo) {
                int n = Math.min(request.batchSize(), merger.outTo - pos);
                if (request.timestamps()) {
                    System.arraycopy(merger.outTs, pos, batch.ts, 0, n);
                }
                if (request.values()) {
                    System.arraycopy(merger.outValues, pos, batch.values, 0, n);
                }
                batch.size = n;
                batch.tagSetId = currentTagSet;
                pos += n;
                return true;
            }
            if (currentTagSet >= 0 && merger.nextCluster()) {
                merger.materialize(request.timestamps(), request.values());
                pos = merger.outFrom;
                continue;
            }
            if (sources == null || !tagSets.hasNext()) {
                close();
                return false;
            }
            currentTagSet = tagSets.next();
            stats.tagSetsMatched++;
            merger.reset(lo, hi);
            sources.collect(currentTagSet, merger);
            pos = merger.outTo; // nothing materialized yet
        }
    }

    public PointBatch batch() {
        return batch;
    }

    /** The tags of a batch's {@link PointBatch#tagSetId()}. */
    public TagSet tagSet(int tagSetId) {
        return catalog.tagSet(tagSetId);
    }

    public QueryStats stats() {
        return stats;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
