package io.ugnos.engine.manifest;

import io.ugnos.engine.index.Catalog;
import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.index.TagSet;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The durable state the manifest describes, rebuilt by replaying its edits: live segments, id and
 * sequence counters, declared series with their tag sets (kept in the {@link Catalog}) and the
 * retention settings. Mutated only by {@link #apply} under the manifest's commit lock; the
 * retention maps are concurrent so that queries can read them at any time.
 */
public final class ManifestState {
    private final Catalog catalog;
    private final TreeMap<Long, SegmentDesc> segments = new TreeMap<>();
    private final Set<String> series = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> seriesTtl = new ConcurrentHashMap<>();
    private final Map<String, Long> deleteBefore = new ConcurrentHashMap<>();
    private volatile long databaseTtl;
    private long nextSegmentId = 1;
    private long persistedSeq;

    public ManifestState(Catalog catalog) {
        this.catalog = catalog;
    }

    public void apply(VersionEdit edit) {
        for (VersionEdit.Op op : edit.ops()) {
            if (op instanceof VersionEdit.AddSeries o) {
                series.add(o.series());
                catalog.getOrCreate(o.series());
            } else if (op instanceof VersionEdit.DropSeries o) {
                series.remove(o.series());
                seriesTtl.remove(o.series());
                deleteBefore.remove(o.series());
                catalog.remove(o.series());
            } else if (op instanceof VersionEdit.AddTagSet o) {
                SeriesCatalog sc = catalog.getOrCreate(o.series());
                if (o.id() < sc.size()) {
                    // interned in memory before the edit was written: now it is durable
                    if (!sc.tagSet(o.id()).equals(o.tags())) {
                        throw new IllegalStateException("tag set " + o.id() + " of " + o.series() + " differs");
                    }
                    sc.markPersisted(o.id() + 1);
                } else {
                    sc.restore(o.id(), o.tags());
                }
            } else if (op instanceof VersionEdit.AddSegment o) {
                segments.put(o.segment().id(), o.segment());
            } else if (op instanceof VersionEdit.RemoveSegment o) {
                segments.remove(o.id());
            } else if (op instanceof VersionEdit.DatabaseTtl o) {
                databaseTtl = o.ttlNanos();
            } else if (op instanceof VersionEdit.SeriesTtl o) {
                if (o.ttlNanos() < 0) {
                    seriesTtl.remove(o.series());
                } else {
                    seriesTtl.put(o.series(), o.ttlNanos());
                }
            } else if (op instanceof VersionEdit.DeleteBefore o) {
                deleteBefore.merge(o.series(), o.timestamp(), Math::max);
            } else if (op instanceof VersionEdit.NextSegmentId o) {
                nextSegmentId = Math.max(nextSegmentId, o.id());
            } else if (op instanceof VersionEdit.PersistedSeq o) {
                persistedSeq = Math.max(persistedSeq, o.seq());
            }
        }
    }

    /** The whole state as one edit, written at the start of a new manifest file. */
    public VersionEdit snapshot() {
        VersionEdit e = new VersionEdit();
        e.add(new VersionEdit.NextSegmentId(nextSegmentId));
        e.add(new VersionEdit.PersistedSeq(persistedSeq));
        e.add(new VersionEdit.DatabaseTtl(databaseTtl));
        for (String s : new java.util.TreeSet<>(series)) {
            e.add(new VersionEdit.AddSeries(s));
            SeriesCatalog sc = catalog.get(s);
            int n = sc == null ? 0 : sc.persistedCount();
            for (int id = 0; id < n; id++) {
                TagSet t = sc.tagSet(id);
                e.add(new VersionEdit.AddTagSet(s, id, t));
            }
            Long ttl = seriesTtl.get(s);
            if (ttl != null) {
                e.add(new VersionEdit.SeriesTtl(s, ttl));
            }
            Long db = deleteBefore.get(s);
            if (db != null) {
                e.add(new VersionEdit.DeleteBefore(s, db));
            }
        }
        for (SegmentDesc d : segments.values()) {
            e.add(new VersionEdit.AddSegment(d));
        }
        return e;
    }

    public Map<Long, SegmentDesc> segments() {
        return Collections.unmodifiableMap(segments);
    }

    public boolean hasSeries(String name) {
        return series.contains(name);
    }

    public Set<String> series() {
        return Collections.unmodifiableSet(series);
    }

    public long databaseTtl() {
        return databaseTtl;
    }

    /** The series' own TTL, or null when it inherits the database's. */
    public Long seriesTtl(String series) {
        return seriesTtl.get(series);
    }

    public long deleteBefore(String series) {
        return deleteBefore.getOrDefault(series, Long.MIN_VALUE);
    }

    public long nextSegmentId() {
        return nextSegmentId;
    }

    public long persistedSeq() {
        return persistedSeq;
    }
}
