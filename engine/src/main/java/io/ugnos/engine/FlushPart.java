package io.ugnos.engine;

import io.ugnos.engine.compaction.Compactor;
import io.ugnos.engine.format.AtomicFiles;
import io.ugnos.engine.memtable.MemTable;
import io.ugnos.engine.segment.SegmentWriter;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * The series {@code [from, to)} of an immutable memtable ({@code null}: unbounded), written to one
 * level-0 segment by whichever thread {@linkplain #claim claims} it first. A flush that a caller of
 * {@link Database#flush} waits for is split in two such parts: the flusher writes the first and
 * offers the second to the waiting thread, which would otherwise sit idle; if nobody has taken it
 * when the flusher is done, the flusher writes it too. Both segments are installed by one manifest
 * edit together with the memtable's persisted sequence number, so a crash between the two halves
 * leaves neither in the manifest (the files are orphans the next open removes) and the log is
 * replayed: nothing is lost, nothing is there twice.
 */
final class FlushPart {
    private final MemTable memtable;
    private final String from;
    private final String to;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean completed; // written without an exception
    private volatile Throwable failure;
    private long id;
    private SegmentWriter.Result result;

    FlushPart(MemTable memtable, String from, String to) {
        this.memtable = memtable;
        this.from = from;
        this.to = to;
    }

    /** True for exactly one caller, who must then {@link #run} it (or {@link #skip} it). */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Writes the part; a failure is kept for {@link #await} (the flusher reports it), not thrown. */
    void run(Compactor.WriterFactory writers, ToLongFunction<String> watermark) {
        try {
            long[] idOut = new long[1];
            try (SegmentWriter w = writers.create(idOut)) {
                id = idOut[0];
                memtable.writeTo(w, watermark, from, to);
                if (w.points() > 0) {
                    result = w.finish();
                }
            }
            completed = true;
        } catch (Throwable t) { // also an Error on a caller's thread: the flusher must not take the part as empty
            failure = t;
        } finally {
            done.countDown();
        }
    }

    /** Whether {@link #run} finished without an exception (call after it returned on this thread, or after {@link #await}). */
    boolean succeeded() {
        return completed;
    }

    /** Marks a claimed part as not written (the flush failed already). */
    void skip() {
        failure = new UgnosException("not written: the other half of the flush failed");
        done.countDown();
    }

    /**
     * Waits until the part is written and throws its failure, if any.
     *
     * @throws UgnosException if interrupted (closing the database) or the part failed
     */
    void await() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UgnosException("interrupted while waiting for the other half of a flush");
        }
        if (!completed) {
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new UgnosException("flushing part of the memtable failed", t);
        }
    }

    /** The installed segment, or null when the part held no points (all below their retention watermark). */
    SegmentWriter.Result result() {
        return result;
    }

    long id() {
        return id;
    }

    /** Deletes the segment this part wrote (when the flush as a whole failed: it is in no manifest). */
    void discard() {
        if (completed && result != null) {
            AtomicFiles.deleteQuietly(result.file());
        }
    }
}
