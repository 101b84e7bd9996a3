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
    private long[] wanted; // the timestamps request.at() wants of the current tag set
    private int wantedPos; // first of them not yet passed
    private boolean regular; // the materialized cluster's timestamps are undecoded (TagSetMerger.materializeRegular)
    /**
     * Set once, by whichever thread closes first (so the version is unpinned once). Volatile, as
     * is {@link #owner}: a thread closing the cursor while another steps it either sees that the
     * other thread used it (and leaves the buffers alone) or makes it stop at its next check,
     * never both missed (each writes one and then reads the other).
     */
    private volatile boolean closed;
    private static final java.lang.invoke.VarHandle CLOSED;

    static {
        try {
            CLOSED = java.lang.invoke.MethodHandles.lookup().findVarHandle(ScanCursor.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * The thread that made the cursor (and took its decode buffers) while no other thread has
     * stepped it; null after another has. Only then does {@link #close} give the buffers back to
     * that thread for its next query: given back by another thread, they could be decoded into by
     * that thread's next query while this cursor is still being stepped.
     */
    private volatile Thread owner = Thread.currentThread();

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
        Thread o = owner;
        if (o != null && o != Thread.currentThread()) {
            owner = null; // before reading closed: see there
        }
        if (closed) {
            return false;
        }
        boolean filtering = request.filtersPoints();
        while (true) {
            if (currentTagSet >= 0 && pos < merger.outTo) {
                if (filtering) {
                    if (regular ? fillRegular() : fillFiltered()) {
                        return true;
                    }
                    continue;
                }
                int n = Math.min(request.batchSize(), merger.outTo - pos);
                batch.ensure(n);
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
                if (filtering && skipCluster()) {
                    continue;
                }
                if (filtering && request.at() != null && request.valueRange().isAll()) {
                    // picked by timestamp alone: where a wanted one lies in a regular block is computed
                    regular = merger.materializeRegular(request.values());
                } else {
                    regular = false;
                    merger.materialize(request.timestamps() || request.at() != null,
                            request.values() || !request.valueRange().isAll());
                }
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
            pos = merger.outTo; // nothing materialized yet
            if (request.at() != null) {
                wanted = request.at().timestamps(catalog.tagSet(currentTagSet));
                wantedPos = 0;
                if (wanted == null || wanted.length == 0) {
                    continue; // nothing wanted of this tag set: its blocks are not even listed
                }
            }
            sources.collect(currentTagSet, merger);
        }
    }

    /**
     * Whether the current cluster can be passed over undecoded: it holds none of the wanted
     * timestamps, or it is one block whose header rules out every value.
     */
    private boolean skipCluster() {
        if (wanted != null && request.at() != null) {
            long from = Math.max(lo, merger.clusterMinTs());
            long to = Math.min(hi, merger.clusterMaxTs);
            wantedPos = TagSetMerger.lowerBound(wanted, wantedPos, wanted.length, from);
            if (wantedPos == wanted.length || wanted[wantedPos] > to) {
                stats.blocksSkipped += merger.clusterBlocks();
                return true;
            }
        }
        Chunk only = merger.single();
        if (only != null && only.hasHeader()) {
            var t = only.segment.blocks();
            if (request.valueRange().excludesBlock(t.min(only.block), t.max(only.block))) {
                stats.blocksSkipped++;
                return true;
            }
        }
        return false;
    }

    /** Copies the materialized points that pass the value range and timestamp filter into the batch. */
    private boolean fillFiltered() {
        long[] ts = merger.outTs;
        double[] vs = merger.outValues;
        ValueRange range = request.valueRange();
        boolean byValue = !range.isAll();
        double vLo = range.lo();
        double vHi = range.hi();
        boolean loIn = range.loInclusive();
        boolean hiIn = range.hiInclusive();
        boolean byTime = request.at() != null;
        int cap = request.batchSize();
        int end = merger.outTo;
        int i = pos;
        int n = 0;
        batch.ensure(Math.min(cap, end - i)); // at most every point left of the cluster passes
        while (i < end && n < cap) {
            if (byTime) {
                long t = ts[i];
                while (wantedPos < wanted.length && wanted[wantedPos] < t) {
                    wantedPos++;
                }
                if (wantedPos == wanted.length) {
                    i = end; // nothing later is wanted
                    break;
                }
                if (wanted[wantedPos] != t) {
                    i = gallop(ts, i + 1, end, wanted[wantedPos]);
                    continue;
                }
            }
            if (byValue) { // ValueRange.test, inlined: NaN fails both comparisons
                double v = vs[i];
                if (!((loIn ? v >= vLo : v > vLo) && (hiIn ? v <= vHi : v < vHi))) {
                    i++;
                    continue;
                }
            }
            if (request.timestamps()) {
                batch.ts[n] = ts[i];
            }
            if (request.values()) {
                batch.values[n] = vs[i];
            }
            n++;
            i++;
        }
        pos = i;
        return publish(n);
    }

    /**
     * {@link #fillFiltered} with a timestamp filter only, over a cluster whose timestamps were not
     * decoded: point {@code i} is at {@code first + i * delta}, so the point at a wanted timestamp
     * is found by arithmetic. The next wanted one is usually the next point (the filter's rows come
     * in runs), and a gap costs one division; the points between are never looked at.
     */
    private boolean fillRegular() {
        double[] vs = merger.outValues;
        long first = merger.regularFirst;
        long delta = merger.regularDelta;
        int end = merger.outTo;
        long lastTs = first + (end - 1) * delta; // the block's last point: no overflow
        int cap = request.batchSize();
        boolean withTs = request.timestamps();
        boolean withValues = request.values();
        int i = pos;
        int n = 0;
        int w = wantedPos;
        batch.ensure(Math.min(cap, end - i));
        while (n < cap && w < wanted.length && i < end) {
            long x = wanted[w];
            if (x > lastTs) {
                i = end; // wanted later than this cluster: kept for the next
                break;
            }
            long at = first + i * delta; // point i, the first not yet passed
            if (x < at) {
                w++; // no point has it
                continue;
            }
            long d = x - at; // at most lastTs - first
            int k;
            if (d == 0) {
                k = i;
            } else if (d == delta) {
                k = i + 1;
            } else {
                long q = d / delta; // x <= lastTs: i + q < end
                if (q * delta != d) { // between points q and q + 1 from i: none has it
                    i += (int) q + 1;
                    w++;
                    continue;
                }
                k = i + (int) q;
            }
            if (withTs) {
                batch.ts[n] = x;
            }
            if (withValues) {
                batch.values[n] = vs[k];
            }
            n++;
            i = k + 1;
            w++;
        }
        if (w == wanted.length) {
            i = end; // nothing later is wanted
        }
        pos = i;
        wantedPos = w;
        return publish(n);
    }

    /** Makes the {@code n} points copied into the batch its contents; false when there are none. */
    private boolean publish(int n) {
        if (n == 0) {
            return false;
        }
        batch.size = n;
        batch.tagSetId = currentTagSet;
        return true;
    }

    /**
     * The first index in [from, to) of ascending {@code a} whose value is at least {@code key}, or
     * {@code to}. Timestamps are mostly evenly spaced (a fixed sampling interval), so it first
     * probes where the spacing of a[from] and a[from+1] puts the key, which then costs one or two
     * comparisons; otherwise it probes from+1, from+2, from+4, from+8, … and searches the last gap,
     * so that a key a few points ahead still costs a few comparisons, not a full binary search.
     */
    static int gallop(long[] a, int from, int to, long key) {
        if (from >= to || a[from] >= key) {
            return from;
        }
        if (from + 1 < to) {
            long step = a[from + 1] - a[from];
            long ahead = key - a[from];
            if (step > 0 && ahead > 0) { // else equal values or an overflow: no guess
                long d = ahead / step;
                if (d < to - from) {
                    int g = from + (int) d;
                    if (a[g] < key) {
                        from = g; // the answer is after the guess: gallop on from there
                    } else if (a[g - 1] < key) { // g > from, since a[from] < key
                        return g;
                    } else {
                        return TagSetMerger.lowerBound(a, from + 1, g, key);
                    }
                }
            }
        }
        int lo = from; // a[lo] < key
        int step = 1;
        int hi = from + 1; // hi >= to, or a[hi] >= key once the loop ends
        while (hi < to && a[hi] < key) {
            lo = hi;
            step <<= 1;
            hi = from + step;
        }
        return TagSetMerger.lowerBound(a, lo + 1, Math.min(hi, to), key);
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
        if (CLOSED.compareAndSet(this, false, true)) { // before reading owner: see there
            try {
                if (owner == Thread.currentThread()) {
                    merger.release();
                }
            } finally {
                onClose.run();
            }
        }
    }
}
