package io.ugnos.engine.crash;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The child process of {@link CrashRecoveryTest}: writes batches into a database until it is killed.
 *
 * <p>Arguments: {@code <database dir> <SYNC|FLUSH|NONE> <seed> <first batch id>}. The database gets a
 * tiny memtable, {@code l0CompactionTrigger(2)} and one-minute partitions, so that memtable switches,
 * flushes, compactions and manifest installs happen all the time; the writers also call
 * {@code flush()} and {@code compact(false)} now and then.
 *
 * <p>Two writer threads write batches {@code first + t + 2i} (thread {@code t}, disjoint ids). Batch
 * {@code k} is a pure function of (seed, k) ({@link #layout}), and every point of it can be traced back
 * to (k, point index) from its timestamp alone ({@link #decode}), so the checker knows exactly which
 * points a batch has and that no other batch shares any (series, tag set, timestamp) key with it.
 *
 * <p>Protocol on stdout, one line per event, each line written and flushed in one piece:
 * <pre>
 * READY                                   the database is open, writing starts
 * ACK k points END                        batch k was acknowledged (db.write returned)
 * ACK k points WAL name size END          SYNC mode: plus the newest WAL file and its size after the ack
 * </pre>
 * A line without its {@code END} token was cut by the kill and means nothing. The process halts when
 * its stdin reaches end of file (the test JVM died) or after {@link #MAX_LIFETIME_MS}, so it never
 * outlives the test by long.
 */
public final class CrashWriter {
    /** Series a batch draws 1 to 3 of. */
    static final String[] SERIES = {"crash.cpu", "crash.mem", "crash.disk", "crash.net"};
    /** Tag sets a batch draws 1 to 3 of per series. */
    static final TagSet[] TAGS = {
            TagSet.of("host", "h0"),
            TagSet.of("host", "h1"),
            TagSet.of("host", "h2", "rack", "r1"),
            TagSet.of("dc", "eu", "host", "h3", "rack", "r2"),
            TagSet.of("host", "h4", "role", "db"),
    };

    /** Timestamp of slot 0 (2020-09-13), so that all data is far from the clock and retention. */
    static final long ORIGIN = 1_600_000_000_000_000_000L;
    /** Distance between two points of a batch. */
    static final long STEP = 100_000L;
    /** Most points per batch; below {@link #POINT_SLOTS}, so that the value encodes the point index exactly. */
    static final int MAX_POINTS = 2000;
    static final int POINT_SLOTS = 2048;
    /** A slot has two halves: the even half for its own batch, the odd half for a late batch. */
    static final long HALF = POINT_SLOTS * STEP;
    static final long STRIDE = 2 * HALF;
    /**
     * A late batch k (one in eight) is written into the odd half of slot {@code k - LATE_LAG}, about
     * three partitions in the past, so that compaction keeps rewriting older level-1 partitions.
     */
    static final long LATE_LAG = 400;
    /** Batch ids of one child run (one kill iteration) lie in {@code [first, first + ITERATION_SPAN)}. */
    static final long ITERATION_SPAN = 1_000_000L;
    static final int WRITERS = 2;
    static final long MAX_LIFETIME_MS = 180_000;

    private CrashWriter() {
    }

    /** The options both the child and the checker open the database with. */
    static DatabaseOptions options(Durability durability) {
        return DatabaseOptions.defaults()
                .withDurability(durability)
                .withMemtableBytes(64 << 10)
                .withL0CompactionTrigger(2)
                .withPartitionWidthNanos(60_000_000_000L)
                .withBlockPoints(256);
    }

    /**
     * What batch {@code k} holds: {@code points} points, point {@code j} in run
     * {@link #runOf}{@code (j)}; run {@code r} is ({@code SERIES[series[r]]}, {@code TAGS[tags[r]]}).
     */
    record Layout(long k, int points, boolean late, boolean reversed, int[] series, int[] tags) {
        int runs() {
            return series.length;
        }

        /** The run point {@code j} belongs to: a hash, so that the checker needs no per-point state. */
        int runOf(int j) {
            return (int) Long.remainderUnsigned(mix(k * 0x9E3779B97F4A7C15L + j), series.length);
        }

        long timestamp(int j) {
            long slot = late ? k - LATE_LAG : k;
            return ORIGIN + slot * STRIDE + (late ? HALF : 0) + j * STEP;
        }

        /** Exact in a double: k * 2048 + j stays far below 2^53. */
        double value(int j) {
            return k + j / (double) POINT_SLOTS;
        }

        String describe() {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < runs(); r++) {
                sb.append(r == 0 ? "" : ", ").append(SERIES[series[r]]).append(TAGS[tags[r]]);
            }
            return points + " points" + (late ? ", late" : "") + " in [" + sb + "]";
        }
    }

    static Layout layout(long seed, long k) {
        SplittableRandom rnd = new SplittableRandom(mix(seed ^ mix(k)));
        int points = 1 + rnd.nextInt(MAX_POINTS);
        boolean late = rnd.nextInt(8) == 0;
        boolean reversed = rnd.nextInt(4) == 0;
        int nSeries = 1 + rnd.nextInt(3);
        int[] seriesPick = pick(rnd, SERIES.length, nSeries);
        int[] series = new int[9];
        int[] tags = new int[9];
        int runs = 0;
        for (int s : seriesPick) {
            for (int t : pick(rnd, TAGS.length, 1 + rnd.nextInt(3))) {
                series[runs] = s;
                tags[runs] = t;
                runs++;
            }
        }
        return new Layout(k, points, late, reversed, java.util.Arrays.copyOf(series, runs), java.util.Arrays.copyOf(tags, runs));
    }

    private static int[] pick(SplittableRandom rnd, int of, int n) {
        int[] all = new int[of];
        for (int i = 0; i < of; i++) {
            all[i] = i;
        }
        for (int i = 0; i < n; i++) { // partial Fisher-Yates
            int j = i + rnd.nextInt(of - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }

    static WriteBatch batch(Layout l) {
        WriteBatch b = new WriteBatch();
        WriteBatch.Run[] runs = new WriteBatch.Run[l.runs()];
        for (int i = 0; i < l.points(); i++) {
            int j = l.reversed() ? l.points() - 1 - i : i;
            int r = l.runOf(j);
            if (runs[r] == null) {
                runs[r] = b.run(SERIES[l.series()[r]], TAGS[l.tags()[r]]);
            }
            runs[r].add(l.timestamp(j), l.value(j));
        }
        return b;
    }

    /** A point's (batch id, point index) from its timestamp: {@code [k, j]}, or null when no batch can have it. */
    static long[] decode(long ts) {
        long off = ts - ORIGIN;
        if (off < 0) {
            return null;
        }
        long slot = off / STRIDE;
        long rem = off % STRIDE;
        boolean late = rem >= HALF;
        if (late) {
            rem -= HALF;
        }
        if (rem % STEP != 0) {
            return null;
        }
        return new long[]{late ? slot + LATE_LAG : slot, rem / STEP, late ? 1 : 0};
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---------------------------------------------------------------- the child process

    private static final Object OUT = new Object();

    private static void emit(String line) {
        PrintStream out = System.out;
        synchronized (OUT) {
            out.print(line + " END\n"); // one write(2): a kill cannot leave half a line that parses
            out.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CrashWriter <dir> <SYNC|FLUSH|NONE> <seed> <first batch id>");
            System.exit(64);
        }
        Path dir = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        long seed = Long.parseLong(args[2]);
        long first = Long.parseLong(args[3]);
        startWatchdogs();

        Database db = Database.open(dir, options(durability));
        System.out.print("READY\n");
        System.out.flush();
        Path walDir = dir.resolve("wal");
        Thread[] writers = new Thread[WRITERS];
        for (int t = 0; t < WRITERS; t++) {
            int thread = t;
            writers[t] = new Thread(() -> {
                try {
                    write(db, durability, walDir, seed, first, thread);
                } catch (Throwable e) {
                    synchronized (OUT) {
                        System.err.println("writer " + thread + " failed:");
                        e.printStackTrace();
                        System.err.flush();
                    }
                    Runtime.getRuntime().halt(3);
                }
            }, "crash-writer-" + t);
            writers[t].start();
        }
        for (Thread t : writers) {
            t.join(); // never returns: the test kills the process
        }
    }

    private static void write(Database db, Durability durability, Path walDir, long seed, long first, int thread)
            throws IOException, InterruptedException {
        SplittableRandom rnd = new SplittableRandom(mix(seed ^ mix(first) ^ thread));
        for (long i = 0; ; i++) {
            long k = first + thread + (long) WRITERS * i;
            if (k - first >= ITERATION_SPAN) {
                Thread.sleep(Long.MAX_VALUE); // out of ids for this run; wait for the kill
            }
            Layout l = layout(seed, k);
            db.write(batch(l));
            if (durability == Durability.SYNC) {
                emit("ACK " + k + " " + l.points() + " WAL " + newestWal(walDir));
            } else {
                emit("ACK " + k + " " + l.points());
            }
            int r = rnd.nextInt(1000);
            if (r < 15) {
                db.flush();
            } else if (r < 20) {
                db.compact(false);
            }
        }
    }

    /** "name size" of the highest-numbered WAL file, listed after the ack. */
    private static String newestWal(Path walDir) throws IOException {
        while (true) {
            Path newest = null;
            try (Stream<Path> files = Files.list(walDir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".log") && (newest == null || n.compareTo(newest.getFileName().toString()) > 0)) {
                        newest = p;
                    }
                }
            }
            if (newest == null) {
                return "none 0";
            }
            try {
                return newest.getFileName() + " " + Files.size(newest);
            } catch (NoSuchFileException deleted) {
                // flushed and deleted meanwhile: a newer one exists, list again
            }
        }
    }

    private static void startWatchdogs() {
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test never writes; end of file means it is gone
                }
            } catch (IOException ignored) {
                // same
            }
            Runtime.getRuntime().halt(2);
        }, "crash-stdin-watchdog");
        stdin.setDaemon(true);
        stdin.start();
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(MAX_LIFETIME_MS);
            } catch (InterruptedException ignored) {
                // halt anyway
            }
            System.err.println("CrashWriter: no kill after " + MAX_LIFETIME_MS + " ms, halting");
            Runtime.getRuntime().halt(4);
        }, "crash-lifetime-watchdog");
        timer.setDaemon(true);
        timer.start();
    }
}
