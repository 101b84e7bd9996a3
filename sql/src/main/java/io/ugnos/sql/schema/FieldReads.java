package io.ugnos.sql.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;

/**
 * The independent reads of a family scan's fields, one engine scan each, split over two threads
 * when there is enough work and a second core: the fields whose points a large driven scan must
 * align (high-cpu-all: nine fields, about 400,000 points each) cost most of its time decoding,
 * which no field's read shares with another's.
 *
 * <p>The second half runs in {@link ForkJoinPool#commonPool()} (its threads are daemons, sized to
 * the cores); the calling thread reads the first half and then waits for the second, also when its
 * own half failed. A failure in either half is rethrown as it was thrown. Below {@link #MIN_POINTS} points the hand-over (tens of µs) would cost
 * more than it saves, and everything runs on the caller.
 */
final class FieldReads {
    /**
     * Points (rows expected times fields to read) from which the reads are split; the property
     * {@code ugnos.parallelScanPoints} overrides it (0: always split, as the tests do, to run both halves).
     */
    static final long MIN_POINTS = Long.getLong("ugnos.parallelScanPoints", 200_000L);

    private FieldReads() {
    }

    /**
     * {@code read.apply(f)} for each f in {@code 0..n)}, in order.
     *
     * @param work the points the reads are expected to return in all
     */
    static <T> List<T> all(int n, IntFunction<T> read, long work) {
        if (n < 2 || work < MIN_POINTS || Runtime.getRuntime().availableProcessors() < 2) {
            return serial(read, 0, n);
        }
        int half = n / 2;
        CompletableFuture<List<T>> second = CompletableFuture.supplyAsync(() -> serial(read, half, n), ForkJoinPool.commonPool());
        List<T> first;
        try {
            first = serial(read, 0, half);
        } catch (RuntimeException | Error e) {
            try {
                second.join(); // no scan of this statement outlives it
            } catch (RuntimeException ignored) {
                // the first failure is the one reported
            }
            throw e;
        }
        List<T> out = new ArrayList<>(n);
        out.addAll(first);
        try {
            out.addAll(second.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
        return out;
    }

    private static <T> List<T> serial(IntFunction<T> read, int from, int to) {
        List<T> out = new ArrayList<>(to - from);
        for (int f = from; f < to; f++) {
            out.add(read.apply(f));
        }
        return out;
    }
}
