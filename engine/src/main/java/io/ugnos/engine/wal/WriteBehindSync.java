package io.ugnos.engine.wal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fsyncs a log in the background as soon as {@code thresholdBytes} have been written to it since its
 * last fsync (RocksDB calls the same idea {@code wal_bytes_per_sync}), so that the fsync a memtable
 * switch must do on the writer's thread finds little left to force. It only ever adds fsyncs: what a
 * write promises and when it returns are unchanged, records just become durable sooner.
 *
 * <p>At most one fsync is queued or running at a time, whichever log it is for; the fsync itself
 * is {@link WalWriter#syncIfBehind}, which runs outside the append lock (writers do not wait for it)
 * and is quiet if the log was switched and retired meanwhile.
 */
public final class WriteBehindSync {
    /** Unsynced bytes that start a background fsync: a few hourly batches of a bulk load. */
    public static final long DEFAULT_THRESHOLD_BYTES = 4L << 20;

    private final long thresholdBytes;
    private final Executor executor;
    private final AtomicBoolean queued = new AtomicBoolean();

    /**
     * @param thresholdBytes unsynced bytes that start an fsync
     * @param executor       runs the fsyncs (a thread of their own: the flusher may be busy writing a segment)
     */
    public WriteBehindSync(long thresholdBytes, Executor executor) {
        if (thresholdBytes < 1) {
            throw new IllegalArgumentException("thresholdBytes must be positive, got " + thresholdBytes);
        }
        this.thresholdBytes = thresholdBytes;
        this.executor = executor;
    }

    /** Called after an append to {@code log}: queues an fsync of it if enough is unsynced and none is queued. */
    public void afterAppend(WalWriter log) {
        if (log.unsyncedBytes() < thresholdBytes || !queued.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    log.syncIfBehind();
                } catch (RuntimeException e) {
                    // interrupted by close (which fsyncs itself); a failed fsync is remembered by the log, and every
                    // later fsync a write waits for reports it (WalWriter.fsyncFailure)
                } finally {
                    queued.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.set(false); // the database is closing: close() fsyncs the log itself
        }
    }
}
