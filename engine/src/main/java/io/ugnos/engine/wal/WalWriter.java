package io.ugnos.engine.wal;

import io.ugnos.engine.Durability;
import io.ugnos.engine.StorageException;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.AtomicFiles;
import io.ugnos.engine.format.FileFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records to one WAL file, with group commit: writers append under a short lock, and in
 * {@link Durability#SYNC} mode wait for an fsync that covers their record. The first waiter becomes
 * the leader and fsyncs everything written so far; the others find their record already covered.
 * So N concurrent writers cost about one fsync, not N.
 */
public final class WalWriter implements AutoCloseable {
    private static final int NONE_BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel ch;
    private final EncodeBuffer pending = new EncodeBuffer(NONE_BUFFER_BYTES + (1 << 16));
    private long written;   // bytes handed to the OS; guarded by this
    private volatile long synced; // bytes known to be on stable storage; written under syncLock
    private boolean syncing; // a leader is in fsync; guarded by syncLock
    private boolean closed;  // guarded by syncLock
    private boolean retired; // closed without an fsync: its records are in an installed segment; guarded by syncLock
    /**
     * The log this one replaced at a memtable switch, while that log may hold records not yet on
     * stable storage and its memtable is not yet in a segment. Nothing in this log may become durable
     * before those records are: a power loss would otherwise keep a later batch and lose an earlier
     * one. So every fsync of this log first fsyncs it (see {@link #syncPredecessor}).
     */
    private volatile WalWriter predecessor;
    private IOException unusable; // set when a failed write could not be undone; guarded by this
    /**
     * The first failed fsync of this file; guarded by syncLock. Never forgotten: Linux reports a
     * writeback error to an fsync once and may have dropped the dirty pages, so a later fsync that
     * succeeds proves nothing about what was written before the failure. From then on nothing of
     * this log counts as durable beyond what already did; its records become durable when its
     * memtable reaches a segment ({@link #retire}) or the database is reopened (replay).
     */
    private IOException fsyncFailure;
    private final Object syncLock = new Object();
    private final java.util.concurrent.atomic.LongAdder syncs;

    private WalWriter(Path file, FileChannel ch, long size, java.util.concurrent.atomic.LongAdder syncs) {
        this.file = file;
        this.ch = ch;
        this.syncs = syncs;
        this.written = size;
        this.synced = size;
    }

    /**
     * Creates a new, empty WAL file (header written and fsynced, directory fsynced).
     *
     * @param syncs counts every fsync of the log, across files
     */
    public static WalWriter create(Path file, java.util.concurrent.atomic.LongAdder syncs) {
        try {
            return create(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), syncs);
        } catch (IOException e) {
            throw StorageException.of("create write-ahead log", file, e);
        }
    }

    /** As {@link #create(Path, java.util.concurrent.atomic.LongAdder)} over a channel opened by the caller (tests inject faults). */
    static WalWriter create(Path file, FileChannel ch, java.util.concurrent.atomic.LongAdder syncs) {
        try {
            EncodeBuffer h = new EncodeBuffer(FileFormat.HEADER_BYTES);
            FileFormat.writeHeader(h, WalFormat.KIND, WalFormat.VERSION);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(h.array(), 0, h.size()));
            ch.force(true);
            AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
            return new WalWriter(file, ch, h.size(), syncs);
        } catch (IOException e) {
            // on a full disk the header may be partly written: nothing was logged in this file, so it goes
            try {
                ch.close();
            } catch (IOException ignored) {
                // deleted next
            }
            AtomicFiles.deleteQuietly(file);
            throw StorageException.of("create write-ahead log", file, e);
        }
    }

    /**
     * Appends a framed record. Returns the file offset just past it, to pass to {@link #commit}.
     * Must be called in sequence-number order (the caller holds the lock that assigns them).
     */
    public synchronized long append(byte[] record, int len, Durability durability) {
        if (durability == Durability.NONE) {
            pending.writeBytes(record, 0, len);
            if (pending.size() >= NONE_BUFFER_BYTES) {
                drainPending();
            }
            return written + pending.size();
        }
        if (pending.size() > 0) {
            drainPending();
        }
        checkUsable();
        try {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(record, 0, len));
        } catch (IOException e) {
            throw undoPartialWrite(e);
        }
        written += len;
        return written;
    }

    private void drainPending() {
        checkUsable();
        try {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(pending.array(), 0, pending.size()));
        } catch (IOException e) {
            pending.clear(); // those writes were not acknowledged as durable (NONE): they are lost with the error
            throw undoPartialWrite(e);
        }
        written += pending.size();
        pending.clear();
    }

    private void checkUsable() {
        if (unusable != null) {
            throw StorageException.of("append to", file, new IOException("an earlier write failed and its partial record"
                    + " could not be removed (" + unusable.getMessage() + "); restart the database: recovery cuts it off", unusable));
        }
    }

    /**
     * A write that failed (a full disk, say) may have left part of a record in the file; later
     * records written after it would sit behind damage that recovery reports as corruption. So the
     * file is cut back to the last whole record, and writing resumes there once space returns. If
     * even that fails, the log refuses further appends rather than write behind the damage.
     */
    private StorageException undoPartialWrite(IOException cause) {
        try {
            ch.truncate(written);
            ch.position(written);
        } catch (IOException e) {
            unusable = e;
        }
        return StorageException.of("append to", file, cause);
    }

    private StorageException failed(String what, IOException e) {
        return StorageException.of(what + " write-ahead log", file, e);
    }

    /** Waits until the record ending at {@code offset} is durable as {@code durability} promises. */
    public void commit(long offset, Durability durability) {
        if (durability != Durability.SYNC) {
            return;
        }
        synchronized (syncLock) {
            while (true) {
                if (synced >= offset || retired) { // retired: the record is in a durably installed segment
                    return;
                }
                if (fsyncFailure != null) {
                    throw failedEarlier();
                }
                if (closed) {
                    throw StorageException.of("fsync", file, new java.io.IOException(
                            "the log was closed before this record reached stable storage"));
                }
                if (!syncing) {
                    syncing = true;
                    break;
                }
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.ugnos.engine.UgnosException("interrupted while waiting for the write-ahead log fsync");
                }
            }
        }
        long target;
        synchronized (this) {
            target = written; // everything handed to the OS so far is covered by this fsync
        }
        try {
            syncPredecessor();
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            synchronized (syncLock) {
                if (e instanceof IOException io && fsyncFailure == null) {
                    fsyncFailure = io;
                }
                syncing = false;
                syncLock.notifyAll();
            }
            throw e instanceof IOException io ? failed("fsync", io) : (RuntimeException) e;
        }
        synchronized (syncLock) {
            syncs.increment();
            synced = Math.max(synced, target);
            syncing = false;
            syncLock.notifyAll();
        }
    }

    /**
     * Follows {@code older}, the log this one replaces at a memtable switch, instead of fsyncing it
     * there: {@code older} is fsynced before this log's first fsync, or never if its memtable reaches
     * a segment first ({@link #retire}). Its buffered {@link Durability#NONE} records are handed to
     * the OS now, as a switch promises.
     */
    public void follow(WalWriter older) {
        older.writeOut();
        predecessor = older;
    }

    private synchronized void writeOut() {
        try {
            if (pending.size() > 0) {
                drainPending();
            }
        } catch (StorageException e) {
            // what was written is what replay sees; the next fsync of the chain reports a failing disk
        }
    }

    /** Fsyncs the logs this one replaced, oldest first, unless they were retired meanwhile. */
    private void syncPredecessor() {
        WalWriter p = predecessor;
        if (p != null) {
            p.syncUnlessRetired();
            predecessor = null;
        }
    }

    private void syncUnlessRetired() {
        synchronized (syncLock) {
            if (closed) {
                return; // retired, or closed with an fsync
            }
        }
        sync();
    }

    /**
     * Closes without an fsync: every record of this log is in a segment the manifest has durably
     * recorded, and the file is deleted next, so forcing its pages to disk would be wasted I/O.
     */
    public void retire() {
        // syncLock first and never `this` while waiting: a group-commit leader takes `this` while syncing
        boolean interrupted = false;
        synchronized (syncLock) {
            // an interrupt (the database closing) does not end the wait: closing the file under a
            // running fsync would fail it, and a SYNC writer would get an error for a durable batch
            while (syncing) {
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            closed = true;
            retired = true;
            syncLock.notifyAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            pending.clear(); // NONE records, in the segment too (and none arrive after the switch)
        }
        predecessor = null;
        try {
            ch.close();
        } catch (IOException ignored) {
            // deleted next
        }
    }

    /** Whether {@link #retire} closed this log (tests). */
    boolean retired() {
        synchronized (syncLock) {
            return retired;
        }
    }

    /**
     * Writes out any buffered {@link Durability#NONE} records and fsyncs the file (after the logs it
     * {@link #follow}s). Appends are not held up meanwhile: the fsync covers what was handed to the
     * OS when it started, and runs outside the append lock (as the group commit's leader does), so a
     * writer never waits for the periodic fsync.
     */
    public void sync() {
        syncPredecessor();
        long target;
        synchronized (this) {
            if (pending.size() > 0) {
                drainPending();
            }
            target = written;
        }
        synchronized (syncLock) {
            while (syncing) {
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.ugnos.engine.UgnosException("interrupted while waiting for the write-ahead log fsync");
                }
            }
            if (synced >= target || retired) {
                return; // an fsync since covered it, or the records are in an installed segment
            }
            if (fsyncFailure != null) {
                throw failedEarlier();
            }
            if (closed) {
                throw failed("fsync", new IOException("the log is closed"));
            }
            syncing = true;
        }
        boolean forced = false;
        try {
            ch.force(false);
            forced = true;
        } catch (IOException e) {
            synchronized (syncLock) {
                if (fsyncFailure == null) {
                    fsyncFailure = e;
                }
            }
            throw failed("fsync", e);
        } finally {
            synchronized (syncLock) {
                if (forced) {
                    synced = Math.max(synced, target);
                    syncs.increment();
                }
                syncing = false;
                syncLock.notifyAll();
            }
        }
    }

    /** The error for an fsync asked for after an earlier one of this file failed (guarded by syncLock). */
    private StorageException failedEarlier() {
        return StorageException.of("fsync", file, new IOException("an earlier fsync of this log failed ("
                + fsyncFailure.getMessage() + "): records written before it may not be on stable storage, and the"
                + " operating system need not report that again; nothing more of this log is acknowledged as"
                + " durable (its records become durable when its memtable is flushed, or on reopen)", fsyncFailure));
    }

    /** Bytes of this file known to be on stable storage, recorded in each record for recovery. */
    public long durableOffset() {
        return synced;
    }

    /** Bytes handed to the OS and not yet known to be on stable storage (buffered NONE records not counted). */
    public synchronized long unsyncedBytes() {
        return written - synced;
    }

    /** Fsyncs when something was written since the last fsync (the periodic sync); quiet if closed. */
    public void syncIfBehind() {
        long w;
        synchronized (this) {
            w = written + pending.size();
        }
        if (w > synced || predecessor != null) {
            try {
                sync();
            } catch (StorageException e) {
                // closed by a memtable switch meanwhile (that fsyncs it), or a failing disk the next write reports
            }
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Writes out buffered records, fsyncs and closes. Writers still waiting in {@link #commit} for this
     * file are released: their records are covered by the final fsync.
     */
    @Override
    public void close() {
        boolean predecessorsDurable = true;
        try {
            syncPredecessor();
        } catch (StorageException e) {
            // a failing disk: replay sees what was written, but nothing of this log may count as
            // durable when an older log's fsync failed (a later batch without an earlier one)
            predecessorsDurable = false;
        }
        long target;
        synchronized (this) {
            try {
                if (pending.size() > 0) {
                    drainPending();
                }
            } catch (StorageException e) {
                // what was written is what replay sees
            }
            target = written;
        }
        synchronized (syncLock) {
            while (syncing) {
                try {
                    syncLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            syncing = true;
            predecessorsDurable &= fsyncFailure == null; // not this log's either: an earlier fsync of it failed
        }
        boolean forced = false;
        try {
            ch.force(false);
            forced = predecessorsDurable;
        } catch (IOException e) {
            // waiters get an error below instead of a false acknowledgement
        } finally {
            synchronized (syncLock) {
                if (forced) {
                    synced = Math.max(synced, target);
                    syncs.increment();
                }
                syncing = false;
                closed = true;
                syncLock.notifyAll();
            }
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
