package io.ugnos.engine;

import io.ugnos.engine.compaction.Compactor;
import io.ugnos.engine.index.Catalog;
import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.ManifestLog;
import io.ugnos.engine.manifest.ManifestState;
import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.manifest.VersionEdit;
import io.ugnos.engine.manifest.VersionSet;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.QueryExecutor;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.retention.RetentionPolicy;
import io.ugnos.engine.segment.SegmentFormat;
import io.ugnos.engine.segment.SegmentReader;
import io.ugnos.engine.segment.SegmentWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An open ugnos database directory: series of timestamped values with tags, stored in immutable
 * compressed segments listed by a manifest.
 *
 * <pre>{@code
 * try (Database db = Database.open(Path.of("data"), DatabaseOptions.defaults())) {
 *     WriteBatch b = new WriteBatch();
 *     b.add("cpu.usage_user", TagSet.of("host", "web-1"), System.currentTimeMillis() * 1_000_000, 12.5);
 *     db.write(b);
 *     try (ScanCursor c = db.scan(ScanRequest.all("cpu.usage_user"))) { ... }
 * }
 * }</pre>
 * Thread-safe: any number of threads may write and query at once.
 */
public final class Database implements AutoCloseable {
    static final String SEGMENTS_DIR = "segments";

    private final Path dir;
    private final Path segmentsDir;
    private final DatabaseOptions options;
    private final DatabaseLock lock;
    private final Catalog catalog = new Catalog();
    private final ManifestState state;
    private final ManifestLog manifest;
    private final VersionSet versions;
    private final RetentionPolicy retention;
    private final EngineStats stats = new EngineStats();
    private final AtomicLong nextSegmentId;
    private final AtomicLong lastSeq;
    private final Object commitLock = new Object();
    private final Object compactionLock = new Object();
    private final Compactor compactor;
    private final ExecutorService background;
    private final AtomicBoolean compactionScheduled = new AtomicBoolean();
    private volatile boolean closed;

    private Database(Path dir, DatabaseOptions options) {
        this.dir = dir;
        this.options = options;
        this.segmentsDir = dir.resolve(SEGMENTS_DIR);
        this.lock = DatabaseLock.acquire(dir);
        try {
            Files.createDirectories(segmentsDir);
            this.state = new ManifestState(catalog);
            this.manifest = ManifestLog.open(dir, state);
            this.versions = new VersionSet(openSegments());
            deleteOrphans();
        } catch (IOException e) {
            lock.close();
            throw new StorageException("create directory", segmentsDir, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        this.retention = new RetentionPolicy(state, options.clockNanos());
        this.nextSegmentId = new AtomicLong(state.nextSegmentId());
        this.lastSeq = new AtomicLong(state.persistedSeq());
        this.compactor = new Compactor(this::newSegmentWriter, retention, options.partitionWidthNanos());
        this.background = options.backgroundCompaction()
                ? Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "ugnos-compaction-" + dir.getFileName());
                    t.setDaemon(true);
                    return t;
                })
                : null;
    }

    /** Opens (or, when {@link DatabaseOptions#createIfMissing()}, creates) the database in {@code dir}. */
    public static Database open(Path dir, DatabaseOptions options) {
        if (!Files.isDirectory(dir)) {
            if (!options.createIfMissing()) {
                throw new UgnosException("no database at " + dir + " (the directory does not exist); create it or allow creation");
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new StorageException("create database directory", dir, e);
            }
        } else if (!options.createIfMissing() && !Files.exists(dir.resolve(ManifestLog.CURRENT))) {
            throw new UgnosException("no database at " + dir + " (no CURRENT file); create it or allow creation");
        }
        return new Database(dir, options);
    }

    public static Database open(Path dir) {
        return open(dir, DatabaseOptions.defaults());
    }

    private List<Version.Entry> openSegments() {
        List<Version.Entry> entries = new ArrayList<>();
        try {
            for (SegmentDesc d : state.segments().values()) {
                entries.add(new Version.Entry(d, SegmentReader.open(segmentsDir.resolve(SegmentFormat.fileName(d.id())), d.id())));
            }
        } catch (RuntimeException e) {
            for (Version.Entry en : entries) {
                en.reader().ref();
                en.reader().unref();
            }
            throw e;
        }
        return entries;
    }

    /** Removes files a crash left behind: temporaries and segments the manifest does not list. */
    private void deleteOrphans() throws IOException {
        Set<String> live = new HashSet<>();
        for (SegmentDesc d : state.segments().values()) {
            live.add(SegmentFormat.fileName(d.id()));
        }
        try (Stream<Path> files = Files.list(segmentsDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!live.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                boolean staleManifest = n.startsWith("MANIFEST-") && !p.equals(manifest.file());
                if (n.endsWith(".tmp") || staleManifest) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private SegmentWriter newSegmentWriter(long[] idOut) {
        long id = nextSegmentId.getAndIncrement();
        idOut[0] = id;
        return new SegmentWriter(segmentsDir, id, options.blockPoints());
    }

    private void checkOpen() {
        if (closed) {
            throw new UgnosException("database " + dir + " is closed");
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * Writes a batch durably: when this returns, the points are in an fsynced segment recorded by the
     * manifest. Points below their series' retention watermark are dropped and counted. Duplicate
     * timestamps of one (series, tag set) keep the last value written.
     */
    public void write(WriteBatch batch) {
        checkOpen();
        if (batch.isEmpty()) {
            return;
        }
        TreeMap<String, TreeMap<Integer, WriteBatch.Run>> bySeries = new TreeMap<>();
        for (Map.Entry<String, Map<TagSet, WriteBatch.Run>> s : batch.runs().entrySet()) {
            SeriesCatalog sc = catalog.getOrCreate(s.getKey());
            TreeMap<Integer, WriteBatch.Run> byId = new TreeMap<>();
            for (WriteBatch.Run r : s.getValue().values()) {
                if (r.size > 0) {
                    byId.put(sc.intern(r.tags), r);
                }
            }
            bySeries.put(s.getKey(), byId);
        }
        long seq = lastSeq.incrementAndGet();
        long[] id = new long[1];
        long dropped = 0;
        try (SegmentWriter w = newSegmentWriter(id)) {
            for (Map.Entry<String, TreeMap<Integer, WriteBatch.Run>> s : bySeries.entrySet()) {
                long watermark = retention.watermark(s.getKey());
                w.beginSeries(s.getKey());
                for (Map.Entry<Integer, WriteBatch.Run> e : s.getValue().entrySet()) {
                    WriteBatch.Run r = e.getValue();
                    long[] ts = r.ts.clone();
                    double[] vs = r.values.clone();
                    int n = io.ugnos.engine.memtable.RunOrder.sortDedup(ts, vs, r.size);
                    int from = 0;
                    while (from < n && ts[from] < watermark) {
                        from++;
                    }
                    dropped += from;
                    w.append(e.getKey(), ts, vs, from, n - from);
                }
                w.endSeries();
            }
            SegmentWriter.Result res = w.points() == 0 ? null : w.finish();
            VersionEdit edit = new VersionEdit();
            List<Version.Entry> added = new ArrayList<>();
            if (res != null) {
                SegmentDesc d = new SegmentDesc(id[0], 0, 0, res.minTs(), res.maxTs(), seq, seq, res.points(), res.bytes());
                edit.add(new VersionEdit.AddSegment(d));
                added.add(new Version.Entry(d, SegmentReader.open(res.file(), id[0])));
                stats.segmentsWritten.increment();
                stats.segmentBytesWritten.add(res.bytes());
                stats.pointsWritten.add(res.points());
            }
            edit.add(new VersionEdit.PersistedSeq(seq));
            commit(edit, added, Set.of());
        }
        stats.pointsDropped.add(dropped);
        stats.batchesWritten.increment();
        maybeScheduleCompaction();
    }

    /**
     * Appends {@code edit} to the manifest together with every series and tag set not yet recorded,
     * then installs the resulting version. The one place durable state changes.
     */
    private void commit(VersionEdit edit, List<Version.Entry> added, Set<Long> removed) {
        synchronized (commitLock) {
            VersionEdit full = new VersionEdit();
            for (SeriesCatalog sc : catalog.all()) {
                if (!state.hasSeries(sc.name())) {
                    full.add(new VersionEdit.AddSeries(sc.name()));
                }
                int id = sc.persistedCount();
                for (TagSet t : sc.unpersisted()) {
                    full.add(new VersionEdit.AddTagSet(sc.name(), id++, t));
                }
            }
            edit.ops().forEach(full::add);
            full.add(new VersionEdit.NextSegmentId(nextSegmentId.get()));
            try {
                manifest.append(full);
            } catch (RuntimeException e) {
                for (Version.Entry en : added) { // not installed: the new files are orphans
                    en.reader().markObsolete();
                    en.reader().ref();
                    en.reader().unref();
                }
                throw e;
            }
            versions.install(added, removed);
        }
    }

    /** Declares a series with no points yet, so that it is listed (and queryable) at once. */
    public void createSeries(String name) {
        checkOpen();
        Names.checkSeries(name);
        catalog.getOrCreate(name);
        commit(new VersionEdit(), List.of(), Set.of());
    }

    // ---------------------------------------------------------------- retention

    /** Deletes the points of {@code series} older than {@code timestamp}: hidden at once, removed from disk by compaction. */
    public void deleteBefore(String series, long timestamp) {
        requireSeries(series);
        commit(new VersionEdit().add(new VersionEdit.DeleteBefore(series, timestamp)), List.of(), Set.of());
        maybeScheduleCompaction();
    }

    /**
     * Sets the database-wide time to live; null or zero removes it. Points that have already expired
     * stay deleted when the TTL grows.
     */
    public void setDatabaseTtl(Duration ttl) {
        checkOpen();
        VersionEdit edit = new VersionEdit();
        for (String s : catalog.names()) {
            if (state.seriesTtl(s) == null) {
                freezeWatermark(s, edit);
            }
        }
        commit(edit.add(new VersionEdit.DatabaseTtl(ttlNanos(ttl))), List.of(), Set.of());
    }

    /**
     * Records the current watermark as an explicit {@code delete_before} before a TTL changes: data
     * that has expired stays deleted even when the TTL grows, whether or not compaction has run yet.
     */
    private void freezeWatermark(String series, VersionEdit edit) {
        long w = retention.watermark(series);
        if (w > state.deleteBefore(series)) {
            edit.add(new VersionEdit.DeleteBefore(series, w));
        }
    }

    /** Sets the time to live of one series; null makes it inherit the database's, zero disables it. */
    public void setSeriesTtl(String series, Duration ttl) {
        requireSeries(series);
        VersionEdit edit = new VersionEdit();
        freezeWatermark(series, edit);
        commit(edit.add(new VersionEdit.SeriesTtl(series, ttl == null ? -1 : ttlNanos(ttl))), List.of(), Set.of());
    }

    private static long ttlNanos(Duration ttl) {
        if (ttl == null || ttl.isZero()) {
            return 0;
        }
        if (ttl.isNegative()) {
            throw new InvalidInputException("a time to live must be positive, got " + ttl);
        }
        try {
            return ttl.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The oldest timestamp of {@code series} still visible (retention watermark). */
    public long retentionWatermark(String series) {
        requireSeries(series);
        return retention.watermark(series);
    }

    public long databaseTtlNanos() {
        return state.databaseTtl();
    }

    /** The series' own TTL in ns, or null when it inherits the database's. */
    public Long seriesTtlNanos(String series) {
        requireSeries(series);
        return state.seriesTtl(series);
    }

    public long deleteBeforeWatermark(String series) {
        requireSeries(series);
        return state.deleteBefore(series);
    }

    // ---------------------------------------------------------------- reads

    private SeriesCatalog requireSeries(String series) {
        checkOpen();
        Names.checkSeries(series);
        SeriesCatalog sc = catalog.get(series);
        if (sc == null) {
            throw new SeriesNotFoundException(series);
        }
        return sc;
    }

    /** Names of every series, sorted. */
    public List<String> series() {
        checkOpen();
        return catalog.names();
    }

    public boolean hasSeries(String name) {
        return catalog.get(name) != null;
    }

    /** Every tag key seen in {@code series}, sorted (the SQL layer's tag columns). */
    public SortedSet<String> tagKeys(String series) {
        return requireSeries(series).tagKeys();
    }

    /** Starts a scan; close the cursor to release the version it pins. */
    public ScanCursor scan(ScanRequest request) {
        SeriesCatalog sc = requireSeries(request.series());
        stats.queries.increment();
        Version v = versions.pin();
        try {
            return QueryExecutor.scan(request, sc, retention.watermark(request.series()), v, List.of(), () -> {
                versions.release(v);
            });
        } catch (RuntimeException e) {
            versions.release(v);
            throw e;
        }
    }

    public AggregateResult aggregate(AggregateRequest request) {
        SeriesCatalog sc = requireSeries(request.series());
        stats.queries.increment();
        Version v = versions.pin();
        try {
            AggregateResult r = QueryExecutor.aggregate(request, sc, retention.watermark(request.series()), v, List.of());
            stats.blocksDecoded.add(r.stats().blocksDecoded());
            stats.blocksFromHeaders.add(r.stats().blocksFromHeaders());
            return r;
        } finally {
            versions.release(v);
        }
    }

    // ---------------------------------------------------------------- compaction

    private void maybeScheduleCompaction() {
        if (background == null || closed) {
            return;
        }
        long l0 = versions.current().entries().stream().filter(e -> e.desc().level() == 0).count();
        if (l0 >= options.l0CompactionTrigger() && compactionScheduled.compareAndSet(false, true)) {
            background.execute(() -> {
                compactionScheduled.set(false);
                try {
                    compact(false);
                } catch (RuntimeException e) {
                    stats.compactionFailures.increment();
                }
            });
        }
    }

    /**
     * Merges level-0 segments into time-partitioned level-1 segments, drops segments wholly below
     * their retention watermark and rewrites those with much expired data. With {@code full}, every
     * segment holding expired points is rewritten too. Readers are never blocked.
     */
    public void compact(boolean full) {
        synchronized (compactionLock) {
            checkOpen();
            compactLocked(full);
        }
    }

    private void compactLocked(boolean full) {
        Version v = versions.pin();
        try {
            Compactor.Plan plan = compactor.plan(v, full);
            if (plan.isEmpty()) {
                return;
            }
            Compactor.Output out = compactor.run(plan, v);
            VersionEdit edit = new VersionEdit();
            plan.removed().forEach(id -> edit.add(new VersionEdit.RemoveSegment(id)));
            List<Version.Entry> added = new ArrayList<>();
            try {
                for (SegmentDesc d : out.segments()) {
                    edit.add(new VersionEdit.AddSegment(d));
                    added.add(new Version.Entry(d, SegmentReader.open(segmentsDir.resolve(SegmentFormat.fileName(d.id())), d.id())));
                    stats.compactionBytesWritten.add(d.bytes());
                }
            } catch (RuntimeException e) {
                out.segments().forEach(d -> io.ugnos.engine.format.AtomicFiles.deleteQuietly(
                        segmentsDir.resolve(SegmentFormat.fileName(d.id()))));
                throw e;
            }
            commit(edit, added, plan.removed());
            stats.compactions.increment();
            stats.segmentsDroppedByRetention.add(plan.dropped().size());
        } finally {
            versions.release(v);
        }
    }

    /** Same as {@code compact(true)}. */
    public void compact() {
        compact(true);
    }

    // ---------------------------------------------------------------- introspection

    public EngineStats stats() {
        return stats;
    }

    /** Live segments as the manifest records them. */
    public List<SegmentDesc> segments() {
        return versions.current().entries().stream().map(Version.Entry::desc).toList();
    }

    /** What the live segments hold and occupy. */
    public record StorageSummary(int segments, long points, long fileBytes, long blockBytes, long blocks) {
        /** Bytes of encoded timestamps and values alone: blocks less their 12-byte frame (count, length, CRC). */
        public long payloadBytes() {
            return blockBytes - blocks * (io.ugnos.engine.segment.SegmentFormat.BLOCK_PREFIX_BYTES
                    + io.ugnos.engine.segment.SegmentFormat.BLOCK_CRC_BYTES);
        }
    }

    public StorageSummary storage() {
        Version v = versions.pin();
        try {
            long points = 0;
            long file = 0;
            long block = 0;
            long blocks = 0;
            for (Version.Entry e : v.entries()) {
                SegmentReader r = e.reader();
                points += r.points();
                file += r.fileBytes();
                blocks += r.blocks().size();
                for (int b = 0; b < r.blocks().size(); b++) {
                    block += r.blocks().length(b);
                }
            }
            return new StorageSummary(v.entries().size(), points, file, block, blocks);
        } finally {
            versions.release(v);
        }
    }

    public Path directory() {
        return dir;
    }

    public DatabaseOptions options() {
        return options;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (background != null) {
            background.shutdown();
            try {
                background.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (compactionLock) {
            versions.close();
            manifest.close();
            lock.close();
        }
    }
}
