package io.ugnos.engine.crash;

import io.ugnos.engine.Database;
import io.ugnos.engine.Durability;
import io.ugnos.engine.format.FileFormat;
import io.ugnos.engine.format.RecordLog;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing process ({@link CrashWriter}) with SIGKILL over and over, on one database directory
 * per durability mode, and checks what recovery made of it. Usually the check follows the kill: this
 * JVM opens the directory (recovery), scans everything, closes it, and the next child writes on. After
 * a quarter of the kills the next child recovers the crash itself instead, and half of those children
 * are killed early, mostly before they are ready (during JVM start or the recovery in
 * {@code Database.open}); the check then covers all kills since the last one. The checks:
 * <ul>
 *   <li>every acknowledged batch is there, with all its points (FLUSH, SYNC), and every batch a
 *       previous check found stays there (all modes);</li>
 *   <li>no batch is partly there: a batch's points are all there or none;</li>
 *   <li>no point is there twice, and every point is one some batch wrote, at the right series, tag
 *       set and value;</li>
 *   <li>each writer thread's batches form a prefix: no batch missing before a present one (FLUSH,
 *       SYNC; counted for NONE);</li>
 *   <li>opening never fails.</li>
 * </ul>
 * In SYNC mode a power loss is simulated before the reopen: the newest WAL file is cut to a length
 * between what was fsynced (at the last acknowledgement, or later as the log's own records say) and its size, and part of what is beyond the
 * fsynced length is overwritten with zeros or garbage. {@code -Dugnos.crash.damage=cut,zerotail,zeros,garbage,tornrecord,reorder}
 * (the default) picks among: a clean cut; zeros from a point to the cut; zeros in a range before it;
 * random bytes in a range before it; {@code tornrecord}, applied the first time the file allows it:
 * the first whole record past the fsynced length keeps its header, its payload is zeroed from a random
 * point up to the cut, which lies past the record's end (the file size survived, the last pages did
 * not); a SYNC run that had no chance for it in its kills runs up to twice as many to get one; and
 * {@code reorder}, as a power loss can when the OS wrote back a later unsynced page but not an earlier
 * one: the first whole record past the fsynced length loses its end, the next one is intact. Recovery
 * must cut all of these, telling them from corruption by the durable offset each WAL record carries
 * ({@code format.RecordLog}). Every damaged byte lies beyond the last acknowledged record.
 *
 * <p>A failing iteration names the mode, iteration, seed, the damage done and the offending batches
 * (id, writer, acknowledged or not, layout, expected and found point counts), and keeps the database
 * directory, the child's output and the WAL and manifest as the crash left them ({@code pre-open/})
 * under {@code target/crash-failures/}.
 *
 * <p>Short mode by default: 25 kills, 10 FLUSH, 10 SYNC, 5 NONE. {@code -Dugnos.crash.iterations=300}
 * sets the total number of kills (split 40/40/20), {@code -Dugnos.crash.seed=N} the seed, {@code -Dugnos.crash.maxDelayMs} the longest
 * time a child writes before its kill. When the database grows beyond
 * {@link #RETIRE_POINTS} points, older runs' data is deleted with {@code deleteBefore} (the check then
 * also covers that it stays deleted), so that long runs check in constant time per kill.
 */
class CrashRecoveryTest {
    private static final int TOTAL_KILLS = Integer.getInteger("ugnos.crash.iterations", 25);
    private static final long SEED = Long.getLong("ugnos.crash.seed", System.nanoTime());
    private static final int MIN_DELAY_MS = 50;
    private static final int MAX_DELAY_MS = Integer.getInteger("ugnos.crash.maxDelayMs", 1500);
    private static final long RETIRE_POINTS = 3_000_000;
    private static final int MAX_PROBLEMS = 25;
    /** Damage kinds the SYNC power-loss simulation draws from (see the class comment). */
    private static final List<String> DAMAGE = damageKinds(System.getProperty("ugnos.crash.damage",
            "cut,zerotail,zeros,garbage,tornrecord,reorder"));
    /** u32 length, u32 crc32c(payload), u32 crc32c(length, crc). */
    private static final int RECORD_HEADER_BYTES = RecordLog.HEADER_BYTES;

    private static List<String> damageKinds(String spec) {
        List<String> known = List.of("cut", "zerotail", "zeros", "garbage", "tornrecord", "reorder");
        List<String> kinds = new ArrayList<>();
        for (String n : spec.split(",")) {
            if (!known.contains(n.trim())) {
                throw new IllegalArgumentException("ugnos.crash.damage: unknown kind " + n + ", known: " + known);
            }
            kinds.add(n.trim());
        }
        return kinds;
    }

    @Test
    void flushModeSurvivesKills() throws Exception {
        new CrashRun(Durability.FLUSH, share(0.4), SEED).run();
    }

    @Test
    void syncModeSurvivesKillsAndPowerLoss() throws Exception {
        new CrashRun(Durability.SYNC, share(0.4), SEED + 1).run();
    }

    @Test
    void noneModeKeepsBatchesAtomic() throws Exception {
        new CrashRun(Durability.NONE, Math.max(1, TOTAL_KILLS - 2 * share(0.4)), SEED + 2).run();
    }

    private static int share(double f) {
        return Math.max(1, (int) Math.round(TOTAL_KILLS * f));
    }

    /** One mode: N kills on one directory. */
    private static final class CrashRun {
        final Durability mode;
        final int iterations;
        final long seed;
        final SplittableRandom rnd;
        /** Batches known to be in the database after the last check (complete), by id. */
        final Set<Long> present = new HashSet<>();
        long presentPoints;
        /** Batches below this id were deleted by {@code deleteBefore}. */
        long retiredBelow = 0;
        // figures for the summary
        long acked;
        long recovered;
        long recoveredUnacked;
        long lostNone;
        long holesNone;
        long tornIterations;
        long tornBytes;
        long replayed;
        int retirements;
        int malformedLines;
        int kills;
        int chained;
        int earlyKills;
        int killedBeforeWriting;
        /** How long the last child took from its start to READY (JVM start and Database.open). */
        long lastReadyMs = 500;
        /** Kills since the last check, oldest first. */
        final List<Run> unchecked = new ArrayList<>();
        /** Largest size reported per WAL file with an ack (SYNC), over the unchecked runs. */
        final Map<String, Long> walSizes = new HashMap<>();
        final Map<String, Integer> damages = new LinkedHashMap<>();

        CrashRun(Durability mode, int iterations, long seed) {
            this.mode = mode;
            this.iterations = iterations;
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
        }

        void run() throws Exception {
            long started = System.nanoTime();
            Path tmp = Files.createTempDirectory("ugnos-crash-" + mode.name().toLowerCase() + "-");
            Path dir = tmp.resolve("db");
            try {
                for (int it = 1; it <= iterations || tornRecordPending() && it <= 2 * iterations; it++) {
                    iteration(tmp, dir, it, it >= iterations);
                    kills = it;
                    if (it % 50 == 0 && it < iterations) {
                        System.out.printf("crash[%s] %d/%d kills, %d batches acknowledged, %.0f s%n", mode, it, iterations,
                                acked, (System.nanoTime() - started) / 1e9);
                    }
                }
            } finally {
                deleteRecursively(tmp);
            }
            System.out.printf("crash[%s] seed=%d kills=%d batches acked=%d recovered=%d (of which unacknowledged=%d)"
                            + " lost(NONE, allowed)=%d holes(NONE)=%d torn tails=%d iterations/%d bytes wal_records_replayed=%d"
                            + " retirements=%d damage=%s kills recovered by the next child=%d (which was killed early=%d, of which"
                            + " before its first ack=%d) malformed child lines=%d in %.1f s%n",
                    mode, seed, kills, acked, recovered, recoveredUnacked, lostNone, holesNone, tornIterations,
                    tornBytes, replayed, retirements, damages, chained, earlyKills, killedBeforeWriting, malformedLines,
                    (System.nanoTime() - started) / 1e9);
        }

        /**
         * Whether a SYNC run has not yet had the chance to tear a whole record (the newest WAL needs one
         * past the fsynced length, with bytes after it): it then runs up to twice its kills to get one.
         */
        private boolean tornRecordPending() {
            return mode == Durability.SYNC && DAMAGE.contains("tornrecord") && !damages.containsKey("tornrecord");
        }

        private String where(int it) {
            long base = mode == Durability.FLUSH ? seed : mode == Durability.SYNC ? seed - 1 : seed - 2;
            return "mode " + mode + ", iteration " + it + ", seed " + seed + " (-Dugnos.crash.seed=" + base
                    + " repeats the batches and random draws; the timing differs)";
        }

        /** A child run (one kill) whose outcome has not been checked yet. */
        private record Run(int it, long first, Map<Long, Integer> acks, String damage, String lastAck) {
            boolean holds(long k) {
                return k >= first && k < first + CrashWriter.ITERATION_SPAN;
            }
        }

        void iteration(Path tmp, Path dir, int it, boolean last) throws Exception {
            long first = it * CrashWriter.ITERATION_SPAN;
            // a child started on a directory nobody recovered yet recovers it itself; kill it at any time, recovery included
            boolean early = !unchecked.isEmpty() && rnd.nextBoolean();
            Child child = Child.start(tmp, dir, mode, seed, first);
            try {
                if (early) {
                    // mostly before READY: during JVM start or the recovery in Database.open
                    Thread.sleep(rnd.nextLong(lastReadyMs * 3 / 2 + 1));
                } else {
                    if (!child.ready.await(60, TimeUnit.SECONDS)) {
                        throw new AssertionError("child did not open the database within 60 s (" + where(it) + "), alive="
                                + child.process.isAlive() + ", stderr:\n" + child.stderrTail());
                    }
                    if (!child.process.isAlive()) {
                        throw new AssertionError("child died while opening the database (" + where(it)
                                + (unchecked.isEmpty() ? "" : "; it was recovering from " + describe(unchecked))
                                + "; directory kept at " + keep(tmp, dir, it) + "), exit " + child.process.exitValue()
                                + ", stderr:\n" + child.stderrTail());
                    }
                    Thread.sleep(MIN_DELAY_MS + rnd.nextInt(Math.max(1, MAX_DELAY_MS - MIN_DELAY_MS + 1)));
                }
                if (!child.process.isAlive()) {
                    throw new AssertionError("child exited on its own before the kill (" + where(it)
                            + (unchecked.isEmpty() ? "" : "; it was recovering from " + describe(unchecked))
                            + "; directory kept at " + keep(tmp, dir, it) + "), exit " + child.process.exitValue()
                            + ", stderr:\n" + child.stderrTail());
                }
                child.process.destroyForcibly(); // SIGKILL
                assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).as("child ended after SIGKILL").isTrue();
                child.reader.join(30_000);
                if (child.readFailure != null) {
                    throw new AssertionError("reading the child's output failed (" + where(it) + ")", child.readFailure);
                }
            } finally {
                child.destroy();
            }

            if (child.readyMs > 0) {
                lastReadyMs = child.readyMs;
            }
            Map<Long, Integer> acks = child.acks;
            acked += acks.size();
            malformedLines += child.malformed;
            if (early) {
                earlyKills++;
                if (child.readyMs == 0 || acks.isEmpty()) {
                    killedBeforeWriting++;
                }
            }
            for (Map.Entry<Long, Integer> a : acks.entrySet()) { // the generator is the same on both sides
                int expected = CrashWriter.layout(seed, a.getKey()).points();
                if (expected != a.getValue()) {
                    throw new AssertionError("child acknowledged batch " + a.getKey() + " with " + a.getValue()
                            + " points, the layout says " + expected + " (" + where(it) + ")");
                }
            }
            child.walSizes.forEach((f, size) -> walSizes.merge(f, size, Math::max));
            String damage = mode == Durability.SYNC ? simulatePowerLoss(dir, walSizes) : "kill -9";
            unchecked.add(new Run(it, first, Map.copyOf(acks), damage, child.lastAckLine));
            snapshotLogs(dir, tmp.resolve("pre-open"));
            // the next child recovers this crash (not after a torn record: a later cut could undo that damage)
            if (!last && !damage.startsWith("power loss (tornrecord)") && rnd.nextInt(4) == 0) {
                chained++;
                return;
            }

            Database db;
            try {
                db = Database.open(dir, CrashWriter.options(mode));
            } catch (RuntimeException e) {
                Path kept = keep(tmp, dir, it);
                throw new AssertionError("reopening after the kill failed (" + where(it) + "; " + describe(unchecked)
                        + "; crashed directory and child output kept at " + kept + "): " + e, e);
            }
            try {
                Map<String, Long> s = db.stats().snapshot();
                long torn = s.getOrDefault("wal_torn_tail_bytes", 0L);
                if (torn > 0) {
                    tornIterations++;
                    tornBytes += torn;
                }
                replayed += s.getOrDefault("wal_records_replayed", 0L);
                List<String> problems;
                try {
                    problems = check(db, it);
                } catch (RuntimeException e) {
                    throw new AssertionError("scanning the recovered database failed (" + where(it) + "; "
                            + describe(unchecked) + "): " + e, e);
                }
                if (!problems.isEmpty()) {
                    db.close();
                    Path kept = keep(tmp, dir, it);
                    throw new AssertionError(problems.size() + " problem(s) after the kill (" + where(it) + "; "
                            + describe(unchecked) + "; recovery counters " + recoveryCounters(s)
                            + "; recovered directory kept at " + kept + "):\n  " + String.join("\n  ", problems));
                }
                unchecked.clear();
                walSizes.clear();
                if (presentPoints > RETIRE_POINTS) {
                    retire(db, first); // keep this run's data only
                }
            } finally {
                db.close();
            }
        }

        private static String describe(List<Run> runs) {
            StringBuilder sb = new StringBuilder(runs.size() == 1 ? "" : runs.size() + " kills since the last check: ");
            for (Run r : runs) {
                sb.append(r == runs.get(0) ? "" : "; then ").append("run ").append(r.it()).append(": ")
                        .append(r.acks().size()).append(" batches acknowledged, last ack ").append(r.lastAck())
                        .append(", ").append(r.damage());
            }
            return sb.toString();
        }

        private static String recoveryCounters(Map<String, Long> s) {
            Map<String, Long> m = new LinkedHashMap<>();
            s.forEach((k, v) -> {
                if (k.equals("wal_records_replayed") || k.equals("wal_torn_tail_bytes") || k.startsWith("recovery_")) {
                    m.put(k, v);
                }
            });
            return m.toString();
        }

        /**
         * Deletes every batch below {@code firstKept} (earlier runs): their slots, and late batches'
         * slots, lie below slot {@code firstKept - LATE_LAG}, and no batch of this or a later run does.
         */
        private void retire(Database db, long firstKept) {
            long watermark = CrashWriter.ORIGIN + (firstKept - CrashWriter.LATE_LAG) * CrashWriter.STRIDE;
            for (String s : CrashWriter.SERIES) {
                if (db.hasSeries(s)) {
                    db.deleteBefore(s, watermark);
                }
            }
            present.removeIf(k -> k < firstKept);
            presentPoints = 0;
            for (long k : present) {
                presentPoints += CrashWriter.layout(seed, k).points();
            }
            retiredBelow = firstKept;
            retirements++;
        }

        /** Scans everything and compares it with what was acknowledged and found before; returns the problems. */
        private List<String> check(Database db, int it) {
            long first = unchecked.get(0).first(); // batches from here on were written since the last check
            Map<Long, Integer> acks = new HashMap<>();
            unchecked.forEach(r -> acks.putAll(r.acks()));
            List<String> problems = new ArrayList<>();
            Map<Long, int[]> found = new HashMap<>();
            Map<Long, CrashWriter.Layout> layouts = new HashMap<>();
            for (String series : db.series()) {
                if (!List.of(CrashWriter.SERIES).contains(series)) {
                    problem(problems, "unknown series " + series);
                }
            }
            for (int si = 0; si < CrashWriter.SERIES.length; si++) {
                String series = CrashWriter.SERIES[si];
                if (!db.hasSeries(series)) {
                    continue;
                }
                Map<Integer, Integer> tagIndex = new HashMap<>();
                try (ScanCursor c = db.scan(ScanRequest.all(series))) {
                    int lastTagSet = -1;
                    long lastTs = Long.MIN_VALUE;
                    long cachedK = Long.MIN_VALUE;
                    CrashWriter.Layout l = null;
                    int[] count = null;
                    while (c.next()) {
                        PointBatch b = c.batch();
                        int tagSetId = b.tagSetId();
                        int ti = tagIndex.computeIfAbsent(tagSetId, id -> indexOf(c.tagSet(id)));
                        if (tagSetId != lastTagSet) {
                            lastTagSet = tagSetId;
                            lastTs = Long.MIN_VALUE;
                        }
                        long[] ts = b.timestamps();
                        double[] vs = b.values();
                        for (int i = 0; i < b.size(); i++) {
                            if (ts[i] <= lastTs) {
                                problem(problems, "point " + series + c.tagSet(tagSetId) + " ts " + ts[i]
                                        + " returned twice or out of order (previous ts " + lastTs + ")");
                            }
                            lastTs = ts[i];
                            long[] kj = CrashWriter.decode(ts[i]);
                            if (kj == null) {
                                problem(problems, "unknown point " + series + c.tagSet(tagSetId) + " ts " + ts[i] + " value "
                                        + vs[i] + ": no batch writes this timestamp");
                                continue;
                            }
                            long k = kj[0];
                            int j = (int) kj[1];
                            if (k != cachedK) {
                                cachedK = k;
                                l = layouts.computeIfAbsent(k, x -> CrashWriter.layout(seed, x));
                                count = found.computeIfAbsent(k, x -> new int[1]);
                            }
                            boolean ok = k / CrashWriter.ITERATION_SPAN <= it && k / CrashWriter.ITERATION_SPAN >= 1
                                    && k >= retiredBelow && (kj[2] == 1) == l.late() && j < l.points()
                                    && l.series()[l.runOf(j)] == si && l.tags()[l.runOf(j)] == ti
                                    && Double.doubleToRawLongBits(vs[i]) == Double.doubleToRawLongBits(l.value(j));
                            count[0]++;
                            if (ok) {
                                continue;
                            }
                            String what = "point " + j + " of batch " + k + " (" + series + c.tagSet(tagSetId) + " ts " + ts[i] + ")";
                            if (k / CrashWriter.ITERATION_SPAN > it || k / CrashWriter.ITERATION_SPAN < 1) {
                                problem(problems, "unknown " + what + ": no run has written batch " + k);
                            } else if (k < retiredBelow) {
                                problem(problems, what + " is visible although batch " + k + " was deleted (deleteBefore)");
                            } else if ((kj[2] == 1) != l.late() || j >= l.points()) {
                                problem(problems, "unknown " + what + ": batch " + k + " has " + l.describe());
                            } else if (l.series()[l.runOf(j)] != si || l.tags()[l.runOf(j)] != ti) {
                                problem(problems, what + " is in the wrong series or tag set: expected "
                                        + CrashWriter.SERIES[l.series()[l.runOf(j)]] + CrashWriter.TAGS[l.tags()[l.runOf(j)]]);
                            } else if (Double.doubleToRawLongBits(vs[i]) != Double.doubleToRawLongBits(l.value(j))) {
                                problem(problems, what + " has value " + vs[i] + ", written was " + l.value(j));
                            }
                        }
                    }
                }
            }

            // every batch: all points or none, none twice
            Set<Long> complete = new HashSet<>();
            for (Map.Entry<Long, int[]> e : new java.util.TreeMap<>(found).entrySet()) {
                long k = e.getKey();
                int n = layouts.get(k).points();
                int f = e.getValue()[0];
                if (f == n) {
                    complete.add(k);
                } else {
                    problem(problems, "batch " + k + " (" + describeBatch(k, acks) + ") is "
                            + (f < n ? "partly present" : "present more than once") + ": expected " + n + " points, found " + f);
                }
                if (k < first && k >= retiredBelow && !present.contains(k)) {
                    problem(problems, "batch " + k + " from run " + k / CrashWriter.ITERATION_SPAN
                            + " reappeared: it was absent at that run's check (found " + f + " of " + n + " points)");
                }
            }
            // what must be there
            for (long k : new java.util.TreeSet<>(present)) {
                if (!found.containsKey(k)) {
                    problem(problems, "batch " + k + " (" + CrashWriter.layout(seed, k).describe()
                            + "), present after an earlier kill, is gone: found 0 points");
                }
            }
            for (Map.Entry<Long, Integer> a : new java.util.TreeMap<>(acks).entrySet()) {
                long k = a.getKey();
                if (!found.containsKey(k)) {
                    if (mode == Durability.NONE) {
                        lostNone++;
                    } else {
                        problem(problems, "acknowledged batch " + k + " (" + describeBatch(k, acks)
                                + ") is lost: expected " + a.getValue() + " points, found 0");
                    }
                }
            }
            // each writer's batches form a prefix, in each run
            for (Run run : unchecked) {
                for (int t = 0; t < CrashWriter.WRITERS; t++) {
                    long highest = -1;
                    for (long k : complete) {
                        if (run.holds(k) && (k - run.first()) % CrashWriter.WRITERS == t) {
                            highest = Math.max(highest, k);
                        }
                    }
                    for (long k = run.first() + t; k < highest; k += CrashWriter.WRITERS) {
                        if (!complete.contains(k)) {
                            if (mode == Durability.NONE) {
                                holesNone++;
                            } else {
                                problem(problems, "hole: batch " + k + " (" + describeBatch(k, acks)
                                        + ") is missing while the same writer's later batch " + highest + " is present");
                            }
                        }
                    }
                }
            }
            for (long k : complete) {
                if (k >= first) {
                    recovered++;
                    if (!acks.containsKey(k)) {
                        recoveredUnacked++;
                    }
                }
            }
            present.addAll(complete);
            presentPoints = 0;
            for (long k : present) {
                presentPoints += CrashWriter.layout(seed, k).points();
            }
            return problems;
        }

        private String describeBatch(long k, Map<Long, Integer> acks) {
            long first = k / CrashWriter.ITERATION_SPAN * CrashWriter.ITERATION_SPAN;
            String who = "run " + k / CrashWriter.ITERATION_SPAN + ", writer " + (k - first) % CrashWriter.WRITERS
                    + ", its batch #" + (k - first) / CrashWriter.WRITERS;
            String status = k < unchecked.get(0).first() ? ", complete at an earlier check"
                    : acks.containsKey(k) ? ", acknowledged" : ", not acknowledged";
            return who + status + ", "
                    + CrashWriter.layout(seed, k).describe();
        }

        private static void problem(List<String> problems, String p) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(p);
            } else if (problems.size() == MAX_PROBLEMS) {
                problems.add("... (more problems left off)");
            }
        }

        private static int indexOf(TagSet t) {
            for (int i = 0; i < CrashWriter.TAGS.length; i++) {
                if (CrashWriter.TAGS[i].equals(t)) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Power loss after the last acknowledgement: everything up to the size reported with the newest
         * WAL file's last ack was fsynced; what is beyond may be lost, cut short or damaged. The first
         * time the file allows it, and then at random, a {@code tornrecord}: the first whole record
         * past the fsynced length keeps its header but loses the rest, zeros up to a cut past its end.
         */
        private String simulatePowerLoss(Path dir, Map<String, Long> walSizes) throws IOException {
            Path newest = null;
            try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    if (n.endsWith(".log") && (newest == null || n.compareTo(newest.getFileName().toString()) > 0)) {
                        newest = p;
                    }
                }
            }
            if (newest == null) {
                return count("no WAL file");
            }
            String name = newest.getFileName().toString();
            long size = Files.size(newest);
            // the size at the last printed ack is a lower bound: an fsync whose ack the kill cut off (a
            // SYNC commit, the periodic fsync) made more durable, and the records written after it say
            // so; a power loss cannot take those bytes (were it to, recovery must report corruption)
            long synced = Math.min(size, Math.max(FileFormat.HEADER_BYTES,
                    Math.max(walSizes.getOrDefault(name, 0L), durableInLog(newest))));
            String kind = DAMAGE.get(rnd.nextInt(DAMAGE.size()));
            List<long[]> records = wholeRecordsAfter(newest, synced);
            long[] record = records.isEmpty() || records.get(0)[1] == size ? null : records.get(0);
            if (record != null && DAMAGE.contains("tornrecord") && !damages.containsKey("tornrecord")) {
                kind = "tornrecord"; // at least once per run when the file allows it
            }
            long cut;
            long from;
            long to;
            if (kind.equals("tornrecord") && record != null) {
                cut = record[1] + 1 + rnd.nextLong(size - record[1]); // past the record: the file size survived
                from = record[0] + RECORD_HEADER_BYTES + 1 + rnd.nextLong(record[1] - record[0] - RECORD_HEADER_BYTES - 1);
                to = cut;
            } else if (kind.equals("reorder") && records.size() >= 2) {
                // pages written back out of order: the end of one record lost, the whole next one on disk
                cut = records.get(1)[1] + rnd.nextLong(size - records.get(1)[1] + 1);
                from = record[0] + RECORD_HEADER_BYTES + 1 + rnd.nextLong(record[1] - record[0] - RECORD_HEADER_BYTES - 1);
                to = record[1];
            } else {
                if (kind.equals("tornrecord") || kind.equals("reorder")) {
                    kind = "zerotail";
                }
                cut = synced + rnd.nextLong(size - synced + 1);
                if (cut == synced || kind.equals("cut")) {
                    kind = "cut";
                    from = to = cut;
                } else {
                    from = synced + rnd.nextLong(cut - synced);
                    to = kind.equals("zerotail") ? cut : from + 1 + rnd.nextLong(cut - from);
                    for (long[] r : records) { // the first whole record after the damage is cut short too (see "reorder")
                        if (r[0] >= to && r[1] <= cut) {
                            cut = r[0] + rnd.nextLong(r[1] - r[0]);
                            break;
                        }
                    }
                }
            }
            count(kind);
            StringBuilder d = new StringBuilder("power loss (" + kind + ") on wal/" + name + ": fsynced " + synced
                    + ", size " + size + ", cut to " + cut);
            if (kind.equals("tornrecord") || kind.equals("reorder")) {
                d.append(", record [").append(record[0]).append(", ").append(record[1]).append(") torn");
            }
            if (kind.equals("reorder")) {
                d.append(", record [").append(records.get(1)[0]).append(", ").append(records.get(1)[1]).append(") intact");
            }
            try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
                if (to > from) {
                    byte[] bytes = new byte[(int) (to - from)];
                    if (kind.equals("garbage")) {
                        rnd.nextBytes(bytes);
                    }
                    ch.write(ByteBuffer.wrap(bytes), from);
                    d.append(", ").append(kind.equals("garbage") ? "garbage" : "zeros").append(" at [").append(from)
                            .append(", ").append(to).append(")");
                }
                ch.force(true);
            }
            return d.toString();
        }

        /**
         * The largest durable offset an intact record of {@code wal} carries (0 if none). Sparing it
         * trusts the engine's own claim, so the claim is checked first: a record can only count bytes
         * fsynced before it was appended, so its durable offset is a record boundary at or before its
         * own start (an engine claiming more would otherwise have its lie spared by the simulation).
         */
        private static long durableInLog(Path wal) throws IOException {
            byte[] b = Files.readAllBytes(wal);
            ByteBuffer bb = ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            java.util.Set<Long> boundaries = new java.util.HashSet<>();
            boundaries.add((long) FileFormat.HEADER_BYTES);
            long durable = 0;
            long pos = FileFormat.HEADER_BYTES;
            while (pos + RECORD_HEADER_BYTES <= b.length) {
                long end = pos + RECORD_HEADER_BYTES + Integer.toUnsignedLong(bb.getInt((int) pos));
                if (end > b.length) {
                    break;
                }
                int payload = (int) pos + RECORD_HEADER_BYTES;
                int len = (int) (end - payload);
                if (len <= 1 || bb.getInt((int) pos + 4) != FileFormat.crc32c(b, payload, len)) {
                    // the tail, or an earlier iteration's damage (a recovery killed before it started a
                    // new log): records past it are not walked, their boundaries would be guesses
                    break;
                }
                long d = io.ugnos.engine.wal.WalRecord.durableBefore(b, payload);
                assertThat(d).as("durable offset of the record at %d in %s", pos, wal).isLessThanOrEqualTo(pos);
                assertThat(boundaries).as("durable offset %d of the record at %d in %s is a record boundary", d, pos, wal)
                        .contains(d);
                durable = Math.max(durable, d);
                pos = end;
                boundaries.add(pos);
            }
            return durable;
        }

        /** {@code [start, end)} of each whole record (longer than one byte) starting at or after {@code from}. */
        private static List<long[]> wholeRecordsAfter(Path wal, long from) throws IOException {
            byte[] b = Files.readAllBytes(wal);
            ByteBuffer bb = ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            List<long[]> records = new ArrayList<>();
            long pos = FileFormat.HEADER_BYTES;
            while (pos + RECORD_HEADER_BYTES <= b.length) {
                long end = pos + RECORD_HEADER_BYTES + Integer.toUnsignedLong(bb.getInt((int) pos));
                if (end > b.length) {
                    break;
                }
                if (pos >= from && end - pos > RECORD_HEADER_BYTES + 1) {
                    records.add(new long[]{pos, end});
                }
                pos = end;
            }
            return records;
        }

        private String count(String damage) {
            damages.merge(damage, 1, Integer::sum);
            return damage;
        }

        /** Copies the WAL files and the manifest as the crash left them: what recovery will read. */
        private static void snapshotLogs(Path dir, Path to) throws IOException {
            deleteRecursively(to);
            Files.createDirectories(to.resolve("wal"));
            try (Stream<Path> files = Stream.concat(Files.list(dir), Files.list(dir.resolve("wal")))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String n = p.getFileName().toString();
                    if (Files.isRegularFile(p) && !n.equals("LOCK")) {
                        Files.copy(p, to.resolve(dir.relativize(p).toString()));
                    }
                }
            }
        }

        /**
         * Keeps a failing iteration's directory under target/ for a post-mortem, with the child's output
         * and, in {@code pre-open/}, the WAL and manifest as they were before recovery touched them.
         */
        private Path keep(Path tmp, Path dir, int it) {
            Path to = Path.of("target", "crash-failures", mode.name().toLowerCase() + "-seed" + seed + "-iteration" + it)
                    .toAbsolutePath();
            try {
                deleteRecursively(to);
                copyTree(dir, to);
                if (Files.isDirectory(tmp.resolve("pre-open"))) {
                    copyTree(tmp.resolve("pre-open"), to.resolve("pre-open"));
                }
                for (String log : List.of("child-stdout.txt", "child-stderr.txt")) {
                    if (Files.exists(tmp.resolve(log))) {
                        Files.copy(tmp.resolve(log), to.resolve(log), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                return to;
            } catch (IOException e) {
                return Path.of("(not kept: " + e + ")");
            }
        }
    }

    /** A running {@link CrashWriter} and what it has said so far. */
    private static final class Child {
        final Process process;
        final Path stderr;
        final Thread reader;
        final CountDownLatch ready = new CountDownLatch(1);
        final Map<Long, Integer> acks = new java.util.concurrent.ConcurrentHashMap<>();
        /** Largest size reported per WAL file with an ack (SYNC). */
        final Map<String, Long> walSizes = new java.util.concurrent.ConcurrentHashMap<>();
        volatile String lastAckLine = "(none)";
        volatile RuntimeException readFailure;
        volatile int malformed;
        final long startedNanos = System.nanoTime();
        volatile long readyMs;
        final Path stdout;

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.stdout = stderr.resolveSibling("child-stdout.txt");
            this.reader = new Thread(this::read, "crash-child-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path tmp, Path dir, Durability mode, long seed, long first) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Path err = tmp.resolve("child-stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-XX:-UsePerfData", "-cp", childClasspath(), CrashWriter.class.getName(),
                    dir.toString(), mode.name(), Long.toString(seed), Long.toString(first));
            pb.redirectError(err.toFile());
            return new Child(pb.start(), err);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 java.io.Writer log = Files.newBufferedWriter(stdout)) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.write(line);
                    log.write('\n');
                    if (line.equals("READY")) {
                        readyMs = (System.nanoTime() - startedNanos) / 1_000_000;
                        ready.countDown();
                        continue;
                    }
                    String[] f = line.split(" ");
                    boolean ack = f[0].equals("ACK") && f[f.length - 1].equals("END");
                    if (!ack || !(f.length == 4 || f.length == 7 && f[3].equals("WAL"))) {
                        if (ack || line.contains("ACK")) {
                            malformed++; // e.g. a JVM message written into the middle of a line: not counted as acked
                        }
                        continue; // cut by the kill, or not ours
                    }
                    try {
                        long k = Long.parseLong(f[1]);
                        int n = Integer.parseInt(f[2]);
                        long walSize = f.length == 7 ? Long.parseLong(f[5]) : 0;
                        acks.put(k, n);
                        lastAckLine = line;
                        if (f.length == 7) {
                            walSizes.merge(f[4], walSize, Math::max);
                        }
                    } catch (NumberFormatException e) {
                        malformed++;
                    }
                }
            } catch (IOException e) {
                // the pipe breaks with the kill
            } catch (RuntimeException e) {
                readFailure = e;
            } finally {
                ready.countDown();
            }
        }

        String stderrTail() {
            try {
                String s = Files.readString(stderr);
                return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
            } catch (IOException e) {
                return "(no stderr: " + e + ")";
            }
        }

        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            try {
                process.getOutputStream().close(); // the child's stdin watchdog halts it if anything is left
            } catch (IOException ignored) {
                // gone
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        io.ugnos.engine.TestDirs.copyLive(from, to);
    }

    private static Path classpathCopy;
    private static String childClasspath;

    /**
     * This JVM's class path with its directories (target/classes, target/test-classes) copied once, so
     * that a build running meanwhile in the same tree cannot pull classes from under the children.
     */
    static synchronized String childClasspath() throws IOException {
        if (childClasspath == null) {
            classpathCopy = Files.createTempDirectory("ugnos-crash-classpath-");
            List<String> entries = new ArrayList<>();
            for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path p = Path.of(e);
                if (Files.isDirectory(p)) {
                    Path to = classpathCopy.resolve(Integer.toString(entries.size()));
                    copyTree(p, to);
                    entries.add(to.toString());
                } else {
                    entries.add(e);
                }
            }
            childClasspath = String.join(java.io.File.pathSeparator, entries);
        }
        return childClasspath;
    }

    @AfterAll
    static void deleteClasspathCopy() throws IOException {
        if (classpathCopy != null) {
            deleteRecursively(classpathCopy);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
