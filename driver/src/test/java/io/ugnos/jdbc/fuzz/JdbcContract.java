package io.ugnos.jdbc.fuzz;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What every JDBC call must do with hostile input: return, or throw an {@link SQLException} whose
 * message says something (not blank, not just an internal class name), within a bounded time and
 * without any other {@link Throwable} escaping. {@link #check} runs one call on a worker thread
 * under a watchdog and fails with an {@link AssertionError} describing the input otherwise.
 *
 * <p>It also tallies the internal exception types found at the root of the SQLExceptions (a
 * NullPointerException wrapped into an SQLException keeps the contract but is still a bug worth
 * reporting), printed by {@link #summary}.
 */
final class JdbcContract {
    /** A JDBC call under test. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** Runs when the watchdog fires, e.g. {@code Statement.cancel()}. */
    @FunctionalInterface
    interface Cancel {
        void run() throws Exception;
    }

    private static final Pattern CLASS_NAME_ONLY =
            Pattern.compile("(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?::\\s*null)?");

    private volatile Thread workerThread;
    private ExecutorService worker = newWorker();
    private final long watchdogMillis;
    final AtomicLong inputs = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failedCleanly = new AtomicLong();
    final Map<String, String> internalCauses = new ConcurrentHashMap<>();

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    JdbcContract(long watchdogMillis) {
        this.watchdogMillis = watchdogMillis;
    }

    /** Runs {@code call}; returns the SQLException it threw (null when it returned) or fails. */
    SQLException check(String input, Call call, Cancel cancel) {
        inputs.incrementAndGet();
        Future<Throwable> f = worker.submit(() -> {
            try {
                call.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Throwable thrown;
        try {
            thrown = f.get(watchdogMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            try {
                cancel.run();
            } catch (Exception ignored) {
                // the hang is the failure reported
            }
            // the stuck thread is abandoned (daemon): later inputs get a fresh one
            StringBuilder where = new StringBuilder();
            Thread stuck = workerThread;
            for (StackTraceElement frame : stuck.getStackTrace()) {
                where.append("\n\tat ").append(frame);
            }
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError("no answer within " + watchdogMillis + " ms (statement timeout not honoured) for: "
                    + printable(input) + "\nstuck at:" + where);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
        if (thrown == null) {
            succeeded.incrementAndGet();
            return null;
        }
        if (!(thrown instanceof SQLException sql)) {
            throw new AssertionError(thrown.getClass().getName() + " escaped (not an SQLException) for: " + printable(input),
                    thrown);
        }
        requireUsefulMessage(sql, input);
        failedCleanly.incrementAndGet();
        Throwable root = sql;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NullPointerException || root instanceof ClassCastException
                || root instanceof IndexOutOfBoundsException || root instanceof AssertionError
                || root instanceof IllegalStateException || root instanceof StackOverflowError
                || root instanceof UnsupportedOperationException) {
            internalCauses.putIfAbsent(root.getClass().getSimpleName() + ": " + root.getMessage(), input);
        }
        return sql;
    }

    /** Fails unless {@code e}'s message says something: not blank, not just an internal class name. */
    static void requireUsefulMessage(SQLException e, String input) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank() || CLASS_NAME_ONLY.matcher(msg.strip()).matches()) {
            throw new AssertionError("SQLException without a useful message ('" + msg + "') for: " + printable(input), e);
        }
    }

    String summary() {
        StringBuilder b = new StringBuilder("inputs=" + inputs + " returned=" + succeeded + " sqlexception=" + failedCleanly);
        internalCauses.forEach((cause, input) -> b.append("\n  internal cause ").append(cause.length() > 200 ? cause.substring(0, 200) : cause)
                .append("\n    e.g. ").append(printable(input)));
        return b.toString();
    }

    void shutdown() {
        worker.shutdownNow();
    }

    static String printable(String s) {
        String cut = s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
