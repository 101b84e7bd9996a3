package io.ugnos.engine;

import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.compaction.Compactor;
import io.ugnos.engine.format.AtomicFiles;
import io.ugnos.engine.format.RecordLog;
import io.ugnos.engine.index.Catalog;
import io.ugnos.engine.index.SeriesCatalog;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.manifest.ManifestLog;
import io.ugnos.engine.manifest.ManifestState;
import io.ugnos.engine.manifest.SegmentDesc;
import io.ugnos.engine.manifest.Version;
import io.ugnos.engine.manifest.VersionEdit;
import io.ugnos.engine.manifest.VersionSet;
import io.ugnos.engine.memtable.MemTable;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateResult;
import io.ugnos.engine.query.LatestPoints;
import io.ugnos.engine.query.LatestRequest;
import io.ugnos.engine.query.LatestResult;
import io.ugnos.engine.query.MultiAggregateRequest;
import io.ugnos.engine.query.MultiAggregateResult;
import io.ugnos.engine.query.QueryExecutor;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.retention.RetentionPolicy;
import io.ugnos.engine.segment.SegmentFormat;
import io.ugnos.engine.segment.SegmentReader;
import io.ugnos.engine.segment.SegmentWriter;
import io.ugnos.engine.wal.WalFormat;
import io.ugnos.engine.wal.WalRecord;
import io.ugnos.engine.wal.WalReplay;
import io.ugnos.engine.wal.WalWriter;
import io.ugnos.engine.wal.WriteBehindSync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
    /** The subdirectory holding segment files. */
    public static final String SEGMENTS_DIR = "segments";
    /** Where segments that failed verification at open are moved, under the database directory. */
    public static final String QUARANTINE_DIR = "quarantine";
    private static final System.Logger LOG = System.getLogger(Database.class.getName());

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

    // write path: WAL + memtable
    private final Path walDir;
    /** Writers hold it shared while appending and inserting; a memtable switch holds it exclusively. */
    private final ReentrantReadWriteLock switchLock = new ReentrantReadWriteLock();
    /**
     * Writers hold it shared from interning their tag sets until their points are in the memtable;
     * {@link #dropSeries} holds it exclusively, so no point of a dropped series is in flight while its
     * catalog entry goes. A separate lock from {@link #switchLock} because the drop waits for the
     * flusher, which takes {@code switchLock} itself.
     */
    private final ReentrantReadWriteLock catalogLock = new ReentrantReadWriteLock();
    /** Orders sequence numbers and WAL appends. */
    private final ReentrantLock walLock = new ReentrantLock();
    /** Guards {@link #active} and {@link #immutables} as one pair, so a reader never misses a memtable. */
    private final Object stateLock = new Object();
    private MemTable active;
    private final List<MemTable> immutables = new ArrayList<>();
    private WalWriter wal;
    /**
     * Logs of memtables switched away from and not yet in a segment, by log number. The switching
     * writer fsyncs each once the switch is done (the active log also fsyncs them before its own
     * fsyncs, {@link WalWriter#follow}); once their memtable's segment is installed they are closed
     * ({@link WalWriter#retire}) and deleted.
     */
    private final Map<Long, WalWriter> switchedLogs = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong nextWalNumber = new AtomicLong(1);
    private final AtomicBoolean switching = new AtomicBoolean();
    private final ScheduledExecutorService flusher;
    /** Runs the write-behind fsyncs of the log ({@link WriteBehindSync}). */
    private final java.util.concurrent.ExecutorService walSyncer;
    private final WriteBehindSync writeBehind;
    private volatile RuntimeException flushFailure;
    private long failedFlushAttempts; // guarded by stateLock
    private final AtomicBoolean flushRetryScheduled = new AtomicBoolean();
    /** Highest sequence number up to which every batch is fully in the memtable; what new queries see. */
    private long visibleSeq; // guarded by publishLock
    private final Object publishLock = new Object();
    /** WAL records up to this size are encoded in a per-thread buffer. */
    private static final int SMALL_RECORD_BYTES = 4 << 20;
    /** A larger buffer than this is not kept for the next large batch. */
    private static final int LARGE_RECORD_BYTES = 64 << 20;
    private static final ThreadLocal<EncodeBuffer> ENCODE = ThreadLocal.withInitial(() -> new EncodeBuffer(1 << 16));
    /**
     * One buffer for records too large for the per-thread ones, kept between batches: a bulk load
     * writes one large batch after another, and allocating (and zeroing) megabytes for each costs
     * more than encoding them. Writers that find it taken allocate their own.
     */
    private final AtomicReference<EncodeBuffer> largeEncode = new AtomicReference<>();

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
            throw StorageException.of("create directory", segmentsDir, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        this.retention = new RetentionPolicy(state, options.clockNanos());
        this.nextSegmentId = new AtomicLong(state.nextSegmentId());
        this.lastSeq = new AtomicLong(state.persistedSeq());
        this.compactor = new Compactor(this::newSegmentWriter, retention, options.partitionWidthNanos());
        this.walDir = dir.resolve(WalFormat.DIR);
        try {
            recover();
        } catch (RuntimeException e) {
            versions.close();
            manifest.close();
            lock.close();
            throw e;
        }
        this.background = options.backgroundCompaction()
                ? Executors.newSingleThreadExecutor(daemon("ugnos-compaction-" + dir.getFileName()))
                : null;
        this.flusher = Executors.newSingleThreadScheduledExecutor(daemon("ugnos-flush-" + dir.getFileName()));
        this.walSyncer = Executors.newSingleThreadExecutor(daemon("ugnos-wal-sync-" + dir.getFileName()));
        this.writeBehind = new WriteBehindSync(WriteBehindSync.DEFAULT_THRESHOLD_BYTES, walSyncer);
        long tick = Math.max(1_000_000L, Math.min(1_000_000_000L, options.memtableMaxAgeNanos() / 4));
        flusher.scheduleWithFixedDelay(this::flushIfOld, tick, tick, TimeUnit.NANOSECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Replays the write-ahead log past what the manifest says is in segments, writes what it finds
     * into a level-0 segment, and starts a new log. Torn tails are cut off and counted.
     */
    private void recover() {
        List<Path> logs = new ArrayList<>();
        try {
            Files.createDirectories(walDir);
            try (Stream<Path> files = Files.list(walDir)) {
                // only names the writer makes (12 digits + .log): anything else in the directory is not ours to replay
                files.filter(p -> p.getFileName().toString().matches("\\d{12}" + java.util.regex.Pattern.quote(WalFormat.SUFFIX)))
                        .sorted().forEach(logs::add);
            }
        } catch (IOException e) {
            throw StorageException.of("list write-ahead logs in", walDir, e);
        }
        MemTable replayed = new MemTable(0);
        long persisted = state.persistedSeq();
        for (Path log : logs) {
            String n = log.getFileName().toString();
            nextWalNumber.set(Math.max(nextWalNumber.get(), Long.parseLong(n.substring(0, n.length() - WalFormat.SUFFIX.length())) + 1));
            WalReplay.Result r = WalReplay.replay(log, (seq, batch) -> {
                if (seq > persisted) {
                    insert(replayed, prepare(batch), seq);
                    stats.walRecordsReplayed.increment();
                }
                lastSeq.accumulateAndGet(seq, Math::max);
            });
            stats.walTornBytes.add(r.tornBytes());
        }
        synchronized (publishLock) {
            visibleSeq = lastSeq.get();
        }
        if (!replayed.isEmpty()) {
            flushMemtable(replayed);
        } else if (lastSeq.get() > persisted) {
            // records whose every point was below its retention watermark still named their series
            // and tag sets: record those before the logs that hold them go
            synchronized (stateLock) {
                commit(new VersionEdit().add(new VersionEdit.PersistedSeq(lastSeq.get())), List.of(), Set.of());
            }
        }
        for (Path log : logs) {
            AtomicFiles.deleteQuietly(log);
        }
        long n = nextWalNumber.getAndIncrement();
        wal = WalWriter.create(walDir.resolve(WalFormat.fileName(n)), stats.walSyncs);
        active = new MemTable(n);
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
                throw StorageException.of("create database directory", dir, e);
            }
        } else if (!options.createIfMissing() && !Files.exists(dir.resolve(ManifestLog.CURRENT))) {
            throw new UgnosException("no database at " + dir + " (no CURRENT file); create it or allow creation");
        }
        return new Database(dir, options);
    }

    public static Database open(Path dir) {
        return open(dir, DatabaseOptions.defaults());
    }

    /**
     * Opens every live segment; {@link SegmentReader#open} verifies header, footer and index checksums.
     * A segment that fails is either set aside ({@link DatabaseOptions#quarantineCorruptSegments()})
     * or fails the open, naming the file and offset.
     */
    private List<Version.Entry> openSegments() {
        List<Version.Entry> entries = new ArrayList<>();
        VersionEdit quarantined = new VersionEdit();
        Path quarantineDir = dir.resolve(QUARANTINE_DIR);
        try {
            for (SegmentDesc d : List.copyOf(state.segments().values())) {
                String name = SegmentFormat.fileName(d.id());
                Path file = segmentsDir.resolve(name);
                if (!Files.exists(file) && Files.exists(quarantineDir.resolve(name))) {
                    // a crash came between moving the file aside and recording it: finish the quarantine
                    quarantined.add(new VersionEdit.RemoveSegment(d.id()));
                    continue;
                }
                try {
                    entries.add(new Version.Entry(d, SegmentReader.open(file, d.id())));
                } catch (CorruptionException e) {
                    if (!options.quarantineCorruptSegments()) {
                        throw new CorruptionException(e.file(), e.offset(), e.what()
                                + "; open with quarantine=true to set the segment aside, or run `ugnos check`", e);
                    }
                    quarantine(file, quarantineDir, d, e);
                    quarantined.add(new VersionEdit.RemoveSegment(d.id()));
                }
            }
            if (!quarantined.isEmpty()) {
                // recorded in the manifest so that the segment stays out after a restart without the option
                manifest.append(quarantined);
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

    /** Moves a corrupt segment to {@code quarantine/} (atomic rename, then fsync of both directories). */
    private void quarantine(Path file, Path quarantineDir, SegmentDesc d, CorruptionException why) {
        Path target = quarantineDir.resolve(file.getFileName());
        try {
            Files.createDirectories(quarantineDir);
            Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(quarantineDir);
            AtomicFiles.syncDirectory(segmentsDir);
        } catch (IOException e) {
            throw StorageException.of("move corrupt segment to " + target + " from", file, e);
        }
        stats.segmentsQuarantined.increment();
        LOG.log(System.Logger.Level.WARNING, "quarantined segment " + file + " (moved to " + target + "; its "
                + d.points() + " points in " + Instant.ofEpochSecond(0, d.minTs()) + " .. " + Instant.ofEpochSecond(0, d.maxTs())
                + " are no longer served): " + (why.offset() >= 0 ? "at offset " + why.offset() + ": " : "") + why.what());
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
        return new SegmentWriter(segmentsDir, id, options.blockPoints(), options.blockSpanNanos(),
                options.blockSpanMinPoints());
    }

    private void checkOpen() {
        if (closed) {
            throw new UgnosException("database " + dir + " is closed");
        }
    }

    // ---------------------------------------------------------------- writes

    /** Writes a batch with the database's default {@link Durability}. */
    public void write(WriteBatch batch) {
        write(batch, options.durability());
    }

    /**
     * Writes a batch: appended to the write-ahead log as one record (all of it survives a crash, or
     * none of it), then made visible to queries. When this returns, the batch has survived what
     * {@code durability} promises. Points below their series' retention watermark are dropped and
     * counted; duplicate timestamps of one (series, tag set) keep the last value written.
     */
    public void write(WriteBatch batch, Durability durability) {
        checkOpen();
        if (batch.isEmpty()) {
            return;
        }
        long bound = RecordLog.HEADER_BYTES + WalRecord.sizeBound(batch);
        boolean large = bound > SMALL_RECORD_BYTES;
        EncodeBuffer buf = takeEncodeBuffer(bound, large);
        int start = RecordLog.begin(buf);
        WalRecord.encode(0, batch, buf); // sequence number and durable offset are patched in under the WAL lock
        awaitMemtableRoom();
        long[] seq = {-1};
        try {
            Appended app;
            catalogLock.readLock().lock();
            try {
                List<Prepared> runs = prepare(batch);
                boolean[] shardsUsed = new boolean[MemTable.shardCount()];
                for (Prepared p : runs) {
                    shardsUsed[MemTable.shardOf(p.series())] = true;
                }
                app = appendAndInsert(runs, shardsUsed, buf, start, durability, seq);
            } finally {
                catalogLock.readLock().unlock();
            }
            stats.walBytes.add(buf.size());
            releaseEncodeBuffer(buf, large); // the log has copied or written the record
            app.wal().commit(app.end(), durability);
            writeBehind.afterAppend(app.wal());
        } finally {
            // after the fsync: a SYNC batch is visible only once durable, and writers reach the shared
            // fsync without first queueing behind each other's publication
            if (seq[0] >= 0) {
                publish(seq[0]);
            }
        }
        stats.batchesWritten.increment();
        if (active.bytes() >= options.memtableBytes()) {
            try {
                switchMemtable();
            } catch (RuntimeException e) {
                // the batch is acknowledged and in the log; the switch is retried by the next write
                stats.flushFailures.increment();
            }
        }
    }

    /**
     * An empty buffer with room for {@code bytes}: this thread's own for a small record, else the
     * shared large one (taken out of its slot, so no other writer can use it meanwhile) or a new one.
     */
    private EncodeBuffer takeEncodeBuffer(long bytes, boolean large) {
        EncodeBuffer buf;
        if (!large) {
            buf = ENCODE.get();
        } else {
            buf = largeEncode.getAndSet(null);
            if (buf == null || buf.capacity() < bytes) {
                buf = new EncodeBuffer((int) Math.min(bytes, Integer.MAX_VALUE - 16)); // EncodeBuffer refuses more
            }
        }
        buf.clear();
        return buf;
    }

    /**
     * Puts a large record's buffer back in the shared slot for the next large record (unless it is too
     * large to keep). A thread's own buffer never goes there, however much it grew: another writer
     * would then encode into it while this thread does, and the log would get a record of mixed
     * bytes under a valid checksum. A thread's buffer that grew past the small-record size is dropped
     * instead, so that no thread keeps a large buffer for good.
     */
    private void releaseEncodeBuffer(EncodeBuffer buf, boolean large) {
        if (large) {
            if (buf.capacity() <= LARGE_RECORD_BYTES) {
                largeEncode.set(buf);
            }
        } else if (buf.capacity() > SMALL_RECORD_BYTES) {
            ENCODE.remove();
        }
    }

    /**
     * Makes batch {@code seq} visible to new queries once every earlier batch is, so that a query never
     * sees a later batch without an earlier one (sequence numbers are taken in order, under the WAL lock).
     */
    private void publish(long seq) {
        synchronized (publishLock) {
            while (visibleSeq != seq - 1) {
                try {
                    publishLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // publishing must complete, or every writer after us waits forever
                }
            }
            visibleSeq = seq;
            publishLock.notifyAll();
        }
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
        }
    }

    private long visibleSeq() {
        synchronized (publishLock) {
            return visibleSeq;
        }
    }

    /** Where a batch's WAL record went: the log file and the offset just past the record. */
    private record Appended(WalWriter wal, long end) {
    }

    /**
     * Under the switch lock (shared) and the batch's shard locks: takes the next sequence number
     * (reported through {@code seqOut} as soon as it is taken, so that it is always published), appends
     * the record and inserts the runs into the active memtable.
     */
    private Appended appendAndInsert(List<Prepared> runs, boolean[] shardsUsed, EncodeBuffer buf, int start,
                                     Durability durability, long[] seqOut) {
        switchLock.readLock().lock();
        try {
            checkOpen();
            MemTable m = active;
            WalWriter w = wal;
            for (int i = 0; i < shardsUsed.length; i++) { // ascending order: no deadlock between writers
                if (shardsUsed[i]) {
                    m.lock(i).lock();
                }
            }
            try {
                long end;
                walLock.lock();
                try {
                    long seq = lastSeq.incrementAndGet();
                    seqOut[0] = seq;
                    long durable = w.durableOffset();
                    buf.putInt(start + RecordLog.HEADER_BYTES, (int) seq);
                    buf.putInt(start + RecordLog.HEADER_BYTES + 4, (int) (seq >>> 32));
                    buf.putInt(start + RecordLog.HEADER_BYTES + 8, (int) durable);
                    buf.putInt(start + RecordLog.HEADER_BYTES + 12, (int) (durable >>> 32));
                    RecordLog.end(buf, start);
                    end = w.append(buf.array(), buf.size(), durability);
                } finally {
                    walLock.unlock();
                }
                insert(m, runs, seqOut[0]);
                return new Appended(w, end);
            } finally {
                for (int i = 0; i < shardsUsed.length; i++) {
                    if (shardsUsed[i]) {
                        m.lock(i).unlock();
                    }
                }
            }
        } finally {
            switchLock.readLock().unlock();
        }
    }

    /** One run of a batch with its tag set interned. */
    private record Prepared(String series, int tagSetId, WriteBatch.Run run) {
    }

    private List<Prepared> prepare(WriteBatch batch) {
        List<Prepared> out = new ArrayList<>();
        for (Map.Entry<String, Map<TagSet, WriteBatch.Run>> s : batch.runs().entrySet()) {
            // a series whose runs are all empty (a reused batch's) is not created: the WAL record
            // leaves empty runs out, so replay would not create it either
            SeriesCatalog sc = null;
            for (WriteBatch.Run r : s.getValue().values()) {
                if (r.size > 0) {
                    if (sc == null) {
                        sc = catalog.getOrCreate(s.getKey());
                    }
                    WriteBatch.Interned in = r.interned;
                    if (in == null || in.catalog() != sc) {
                        in = new WriteBatch.Interned(sc, sc.intern(r.tags));
                        r.interned = in;
                    }
                    out.add(new Prepared(s.getKey(), in.id(), r));
                }
            }
        }
        return out;
    }

    /** Inserts prepared runs into {@code m} (the caller holds their shard locks), dropping expired points. */
    private void insert(MemTable m, List<Prepared> runs, long seq) {
        long points = 0;
        long dropped = 0;
        for (Prepared p : runs) {
            WriteBatch.Run r = p.run();
            long watermark = retention.watermark(p.series());
            long[] pairs = r.points;
            int n = r.size;
            if (watermark != Long.MIN_VALUE) {
                pairs = new long[2 * n];
                int k = 0;
                for (int i = 0; i < r.size; i++) {
                    if (r.points[2 * i] >= watermark) {
                        pairs[2 * k] = r.points[2 * i];
                        pairs[2 * k++ + 1] = r.points[2 * i + 1];
                    }
                }
                dropped += n - k;
                n = k;
            }
            m.insert(p.series(), p.tagSetId(), pairs, n, seq);
            points += n;
        }
        stats.pointsWritten.add(points);
        stats.pointsDropped.add(dropped);
    }

    /** Holds writers back while too many full memtables wait for their flush. */
    private void awaitMemtableRoom() {
        synchronized (stateLock) {
            boolean stalled = false;
            while (immutables.size() >= options.maxImmutableMemtables()) {
                if (flushFailure != null) {
                    throw flushFailed("cannot accept writes: flushing the memtable to disk failed", flushFailure);
                }
                if (!stalled) {
                    stats.writeStalls.increment();
                    stalled = true;
                }
                try {
                    stateLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UgnosException("interrupted while waiting for a memtable flush");
                }
                checkOpen();
            }
        }
    }

    /**
     * The error for an operation refused because the last memtable flush failed: a {@link DiskFullException}
     * when the disk was full (so that callers can tell the operator to free space), else a plain one.
     */
    private static UgnosException flushFailed(String what, RuntimeException cause) {
        if (cause instanceof DiskFullException full) {
            return new DiskFullException(what + "; the flush is retried every second and writes resume once it succeeds", full);
        }
        return new UgnosException(what + " (" + cause.getMessage() + "); acknowledged data is safe in the write-ahead log", cause);
    }

    /** Makes the active memtable immutable, starts a new one with a new WAL file, and schedules the flush. */
    private void switchMemtable() {
        if (!switching.compareAndSet(false, true)) {
            return;
        }
        WalWriter old;
        try {
            switchLock.writeLock().lock();
            try {
                if (active.isEmpty() || closed) {
                    return;
                }
                long n = nextWalNumber.getAndIncrement();
                WalWriter next = WalWriter.create(walDir.resolve(WalFormat.fileName(n)), stats.walSyncs);
                old = wal;
                next.follow(old); // writers are held off: the old log's buffered NONE records go out now
                switchedLogs.put(active.walNumber(), old);
                synchronized (stateLock) {
                    immutables.add(active);
                    active = new MemTable(n);
                    wal = next;
                }
            } finally {
                switchLock.writeLock().unlock();
            }
        } finally {
            switching.set(false);
        }
        // fsynced now, not when the new log first fsyncs: after a power loss, FLUSH and NONE records
        // of the new log must not survive without the old log's tail (replay keeps order within a
        // log, not across logs), so the window for that is this fsync's, not up to a second
        try {
            old.sync();
        } finally {
            // also when the fsync failed: the old log's records become durable once its memtable is in a
            // segment, and until then it (followed by the new log) acknowledges nothing more as durable
            flusher.execute(this::flushImmutables);
        }
    }

    /**
     * Runs on the flusher about once a second: fsyncs the log if anything was written since its last
     * fsync (so that in FLUSH and NONE mode at most about a second of writes is exposed to a power
     * loss, and damage to older parts of the log is recognised as corruption), and switches an old memtable.
     */
    private void flushIfOld() {
        switchLock.readLock().lock();
        try {
            if (!closed) {
                wal.syncIfBehind();
            }
        } finally {
            switchLock.readLock().unlock();
        }
        MemTable m = active;
        if (!closed && !m.isEmpty() && m.ageNanos() >= options.memtableMaxAgeNanos()) {
            switchMemtable();
        }
    }

    /** Flushes waiting memtables oldest first (so the persisted sequence only moves forward). Runs on the flusher. */
    private void flushImmutables() {
        while (true) {
            MemTable m;
            synchronized (stateLock) {
                if (immutables.isEmpty()) {
                    return;
                }
                m = immutables.get(0);
            }
            try {
                flushMemtable(m);
                flushFailure = null;
            } catch (RuntimeException e) {
                flushFailure = e;
                stats.flushFailures.increment();
                synchronized (stateLock) {
                    failedFlushAttempts++;
                    stateLock.notifyAll();
                }
                if (!closed && flushRetryScheduled.compareAndSet(false, true)) { // one retry chain, however many flush() calls
                    flusher.schedule(() -> {
                        flushRetryScheduled.set(false);
                        flushImmutables();
                    }, 1, TimeUnit.SECONDS);
                }
                return;
            }
            WalWriter log = switchedLogs.remove(m.walNumber());
            if (log != null) {
                log.retire(); // its records are in the segment the manifest now durably holds
            }
            AtomicFiles.deleteQuietly(walDir.resolve(WalFormat.fileName(m.walNumber())));
            maybeScheduleCompaction();
        }
    }

    /** Writes {@code m} to a level-0 segment and, in one step, installs it and retires the memtable. */
    private void flushMemtable(MemTable m) {
        synchronized (publishLock) { // every batch in m is fully inserted before it is written out
            while (visibleSeq < m.maxSeq()) {
                try {
                    publishLock.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UgnosException("interrupted while flushing");
                }
            }
        }
        long[] id = new long[1];
        SegmentWriter.Result res = null;
        try (SegmentWriter w = newSegmentWriter(id)) {
            m.writeTo(w, retention::watermark);
            if (w.points() > 0) {
                res = w.finish();
            }
        }
        VersionEdit edit = new VersionEdit();
        List<Version.Entry> added = new ArrayList<>();
        if (res != null) {
            SegmentDesc d = new SegmentDesc(id[0], 0, 0, res.minTs(), res.maxTs(), m.minSeq(), m.maxSeq(), res.points(), res.bytes());
            edit.add(new VersionEdit.AddSegment(d));
            added.add(new Version.Entry(d, SegmentReader.open(res.file(), id[0])));
            stats.segmentsWritten.increment();
            stats.segmentBytesWritten.add(res.bytes());
        }
        edit.add(new VersionEdit.PersistedSeq(m.maxSeq()));
        synchronized (stateLock) {
            commit(edit, added, Set.of());
            immutables.remove(m);
            stateLock.notifyAll();
        }
        stats.flushes.increment();
    }

    /** Flushes everything in memory to segments and waits until it is installed. */
    public void flush() {
        checkOpen();
        long failedBefore;
        synchronized (stateLock) {
            failedBefore = failedFlushAttempts;
        }
        switchMemtable();
        // An earlier attempt may have failed (a full disk, since freed): try again now rather than
        // report that stale failure or wait for the periodic retry.
        try {
            flusher.execute(this::flushImmutables);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            checkOpen(); // closed meanwhile
            throw e;
        }
        synchronized (stateLock) {
            while (!immutables.isEmpty()) {
                if (failedFlushAttempts > failedBefore && flushFailure != null) {
                    throw flushFailed("flushing the memtable failed", flushFailure);
                }
                try {
                    stateLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UgnosException("interrupted while waiting for a memtable flush");
                }
            }
        }
    }

    /** A pinned version with the memtables that go with it; release with {@link #release}. */
    private record Snapshot(Version version, List<MemTable> memtables, long maxSeq) {
        List<io.ugnos.engine.query.MemoryRun.Source> sources(String series) {
            return memtables.stream().map(m -> m.source(series, maxSeq)).toList();
        }
    }

    private Snapshot pin() {
        synchronized (stateLock) {
            List<MemTable> mems = new ArrayList<>(immutables); // oldest first: later ones win ties
            mems.add(active);
            return new Snapshot(versions.pin(), mems, visibleSeq());
        }
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
        createSeries(name, null);
    }

    /**
     * Declares a series and, in the same manifest edit, its time to live (as {@link #setSeriesTtl}:
     * null inherits the database's, zero keeps everything), so that a crash cannot leave the series
     * without the retention it was created with.
     *
     * <pre>{@code
     * db.createSeries("cpu.usage_user", Duration.ofDays(30));
     * }</pre>
     */
    public void createSeries(String name, Duration ttl) {
        checkOpen();
        Names.checkSeries(name);
        catalogLock.readLock().lock();
        try {
            boolean existed = catalog.get(name) != null;
            catalog.getOrCreate(name);
            VersionEdit edit = new VersionEdit();
            if (ttl != null) {
                if (existed) {
                    freezeWatermark(name, edit);
                }
                edit.add(new VersionEdit.SeriesTtl(name, ttlNanos(ttl)));
            }
            commit(edit, List.of(), Set.of());
        } finally {
            catalogLock.readLock().unlock();
        }
    }

    /**
     * Drops a series durably: its catalog entry, tag sets, retention settings and every point. Writes
     * are held back while it runs, because it flushes the memtable and rewrites (or drops) every
     * segment holding the series, then records the drop together with the segment changes in one
     * manifest edit; so the data is gone from reads and from disk at once, and a crash leaves either
     * the series whole or wholly dropped. Writing to the name later creates a new, empty series.
     *
     * <pre>{@code
     * db.dropSeries("cpu.usage_user");
     * assert !db.hasSeries("cpu.usage_user");
     * }</pre>
     *
     * @throws SeriesNotFoundException when there is no such series
     */
    public void dropSeries(String name) {
        requireSeries(name);
        catalogLock.writeLock().lock();
        try {
            requireSeries(name); // a concurrent drop may have won
            flush();
            synchronized (compactionLock) {
                checkOpen();
                Version v = versions.pin();
                try {
                    Compactor.Plan plan = compactor.plan(v, false, Set.of(name));
                    Installable out = runCompaction(plan, v);
                    out.edit().add(new VersionEdit.DropSeries(name));
                    commit(out.edit(), out.added(), plan.removed());
                    if (!plan.isEmpty()) {
                        stats.compactions.increment();
                    }
                } finally {
                    versions.release(v);
                }
            }
        } finally {
            catalogLock.writeLock().unlock();
        }
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
        SeriesCatalog sc = series == null ? null : catalog.get(series);
        if (sc == null) {
            // a series that exists has a valid name (checked when it was created): only a miss is
            // checked, so that an invalid name is reported as such (the regex cost every query)
            Names.checkSeries(series);
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
    /**
     * Changes whenever a series appears or goes or gains a tag key: SQL layers key their plan
     * caches on it, since a series' columns are its tag keys.
     */
    public long schemaVersion() {
        return catalog.version();
    }

    public SortedSet<String> tagKeys(String series) {
        return requireSeries(series).tagKeys();
    }

    /** Starts a scan; close the cursor to release the version it pins. */
    public ScanCursor scan(ScanRequest request) {
        SeriesCatalog sc = requireSeries(request.series());
        stats.queries.increment();
        Snapshot snap = pin();
        try {
            ScanCursor[] cursor = new ScanCursor[1];
            cursor[0] = QueryExecutor.scan(request, sc, retention.watermark(request.series()), snap.version(),
                    snap.sources(request.series()), () -> {
                        versions.release(snap.version());
                        stats.blocksDecoded.add(cursor[0].stats().blocksDecoded());
                    });
            return cursor[0];
        } catch (RuntimeException e) {
            versions.release(snap.version());
            throw e;
        }
    }

    public AggregateResult aggregate(AggregateRequest request) {
        SeriesCatalog sc = requireSeries(request.series());
        stats.queries.increment();
        Snapshot snap = pin();
        Version v = snap.version();
        try {
            AggregateResult r = QueryExecutor.aggregate(request, sc, retention.watermark(request.series()), v,
                    snap.sources(request.series()));
            stats.blocksDecoded.add(r.stats().blocksDecoded());
            stats.blocksFromHeaders.add(r.stats().blocksFromHeaders());
            return r;
        } finally {
            versions.release(v);
        }
    }

    /**
     * Aggregates of several series (the fields of a family) merged by (group, bucket), read under one
     * pinned version; members with no functions only say where groups exist (see
     * {@link MultiAggregateRequest}).
     *
     * @throws SeriesNotFoundException when a member series does not exist
     */
    public MultiAggregateResult aggregate(MultiAggregateRequest request) {
        List<QueryExecutor.SeriesData> data = new ArrayList<>(request.members().size());
        List<SeriesCatalog> catalogs = new ArrayList<>(request.members().size());
        for (MultiAggregateRequest.Member m : request.members()) {
            catalogs.add(requireSeries(m.series()));
        }
        stats.queries.increment();
        Snapshot snap = pin();
        Version v = snap.version();
        try {
            for (int i = 0; i < catalogs.size(); i++) {
                String series = request.members().get(i).series();
                data.add(new QueryExecutor.SeriesData(catalogs.get(i), retention.watermark(series), snap.sources(series)));
            }
            MultiAggregateResult r = QueryExecutor.aggregate(request, data, v);
            stats.blocksDecoded.add(r.stats().blocksDecoded());
            stats.blocksFromHeaders.add(r.stats().blocksFromHeaders());
            return r;
        } finally {
            versions.release(v);
        }
    }

    /**
     * The latest (or earliest) point per group of tag values, for several series at once (the fields
     * of a family): {@code last(value, ts)} and {@code MAX(ts)} per group without aggregating every
     * block (see {@link LatestRequest}). The requests must group by the same tags; each is a column
     * of the result, read under one pinned version.
     *
     * <pre>{@code
     * LatestResult r = db.latest(List.of(new LatestRequest("cpu.usage_user", TimeRange.ALL, TagPredicate.ALL,
     *         List.of("hostname"), AggFn.LAST)));
     * }</pre>
     *
     * @throws SeriesNotFoundException when a request names a series that does not exist
     */
    public LatestResult latest(List<LatestRequest> requests) {
        List<SeriesCatalog> catalogs = new ArrayList<>(requests.size());
        for (LatestRequest r : requests) {
            catalogs.add(requireSeries(r.series()));
        }
        stats.queries.increment();
        Snapshot snap = pin();
        Version v = snap.version();
        try {
            List<LatestPoints.Sources> sources = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                String series = requests.get(i).series();
                // an empty memtable is left out rather than asked once per tag set (after a flush,
                // the usual state of all but the active one); one that is empty now holds nothing
                // the pinned sequence number shows, since a batch is inserted before it is visible
                List<io.ugnos.engine.query.MemoryRun.Source> memory = new ArrayList<>();
                for (MemTable m : snap.memtables()) {
                    if (!m.isEmpty()) {
                        memory.add(m.source(series, snap.maxSeq()));
                    }
                }
                sources.add(new LatestPoints.Sources(catalogs.get(i), retention.watermark(series), memory));
            }
            LatestResult r = LatestPoints.compute(requests, sources, v);
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
                    synchronized (compactionLock) {
                        if (!closed) {
                            compactLocked(false);
                        }
                    }
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
        flush();
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
            Installable out = runCompaction(plan, v);
            commit(out.edit(), out.added(), plan.removed());
            stats.compactions.increment();
            stats.segmentsDroppedByRetention.add(plan.dropped().size());
        } finally {
            versions.release(v);
        }
    }

    /** A compaction's outputs, opened, with the manifest edit that swaps them for its inputs. */
    private record Installable(VersionEdit edit, List<Version.Entry> added) {
    }

    private Installable runCompaction(Compactor.Plan plan, Version v) {
        Compactor.Output out = compactor.run(plan, v);
        stats.compactionBlocksCopied.add(out.blocksCopied());
        stats.compactionBlocksMerged.add(out.blocksMerged());
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
            out.segments().forEach(d -> AtomicFiles.deleteQuietly(segmentsDir.resolve(SegmentFormat.fileName(d.id()))));
            throw e;
        }
        return new Installable(edit, added);
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

    /** Flushes the memtable, stops background work and closes every file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (flushFailure == null) {
                flush();
            }
        } catch (RuntimeException e) {
            // the write-ahead log still holds everything; the next open replays it
        }
        closed = true;
        flusher.shutdownNow();
        walSyncer.shutdown(); // a queued fsync still runs: close() below fsyncs after it, not under it
        if (background != null) {
            background.shutdown();
        }
        try {
            flusher.awaitTermination(1, TimeUnit.MINUTES);
            walSyncer.awaitTermination(1, TimeUnit.MINUTES);
            if (background != null) {
                background.awaitTermination(1, TimeUnit.MINUTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        switchLock.writeLock().lock();
        try {
            wal.close(); // fsyncs the switched logs still unflushed first, oldest first
            for (WalWriter log : switchedLogs.values()) {
                log.close();
            }
            switchedLogs.clear();
        } finally {
            switchLock.writeLock().unlock();
        }
        synchronized (compactionLock) {
            versions.close();
            manifest.close();
            lock.close();
        }
    }
}
