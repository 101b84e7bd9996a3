package io.ugnos.engine;

import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WriteBatch#reset}: a loader reusing one batch (and its run handles) writes exactly what fresh
 * batches with the same points write, before and after the write-ahead log is replayed, also when
 * a reset leaves some runs (or a whole series) empty.
 */
class WriteBatchResetTest {
    private static final String[] SERIES = {"cpu.a", "cpu.b", "mem"};
    private static final TagSet[] TAGS = {TagSet.of("host", "h0"), TagSet.of("host", "h1"), TagSet.of("host", "h2", "dc", "x")};

    /** Points of batch k: random (series, tag set) runs, some left out entirely; timestamps may repeat across batches. */
    private static List<long[]> points(Random rnd, int k) {
        List<long[]> out = new ArrayList<>(); // {series, tags, ts, value bits}
        for (int s = 0; s < SERIES.length; s++) {
            for (int t = 0; t < TAGS.length; t++) {
                if (k > 0 && rnd.nextInt(3) == 0) {
                    continue; // stays empty after the reset (batch 0 fills every run, so each is created)
                }
                int n = 1 + rnd.nextInt(k == 0 ? 5 : 200);
                for (int i = 0; i < n; i++) {
                    out.add(new long[] {s, t, rnd.nextInt(2_000), Double.doubleToRawLongBits(rnd.nextInt(1_000) / 8.0)});
                }
            }
        }
        return out;
    }

    @Property(tries = 30)
    void aResetBatchWritesWhatFreshBatchesWrite(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int batches) throws IOException {
        Path fresh = Files.createTempDirectory("ugnos-reset-fresh");
        Path reused = Files.createTempDirectory("ugnos-reset-reused");
        Path crashed = Files.createTempDirectory("ugnos-reset-crashed");
        try {
            Random rnd = new Random(seed);
            List<List<long[]>> all = new ArrayList<>();
            for (int k = 0; k < batches; k++) {
                all.add(points(rnd, k));
            }
            String want;
            try (Database db = Database.open(fresh)) {
                for (List<long[]> b : all) {
                    WriteBatch w = new WriteBatch();
                    for (long[] p : b) {
                        w.add(SERIES[(int) p[0]], TAGS[(int) p[1]], p[2], Double.longBitsToDouble(p[3]));
                    }
                    db.write(w);
                }
                want = dump(db);
            }
            WriteBatch w = new WriteBatch();
            WriteBatch.Run[][] runs = new WriteBatch.Run[SERIES.length][TAGS.length];
            for (int s = 0; s < SERIES.length; s++) {
                for (int t = 0; t < TAGS.length; t++) {
                    runs[s][t] = w.run(SERIES[s], TAGS[t]);
                }
            }
            try (Database db = Database.open(reused, DatabaseOptions.defaults().withBackgroundCompaction(false)
                    .withMemtableMaxAgeNanos(3_600_000_000_000L))) {
                for (List<long[]> b : all) {
                    w.reset();
                    for (long[] p : b) {
                        runs[(int) p[0]][(int) p[1]].add(p[2], Double.longBitsToDouble(p[3]));
                    }
                    db.write(w);
                }
                assertThat(dump(db)).isEqualTo(want);
                TestDirs.copyLive(reused, crashed); // what a kill -9 leaves: everything is in the log only
            }
            try (Database db = Database.open(crashed)) { // replayed from the log, which skipped the empty runs
                assertThat(db.stats().get("wal_records_replayed")).isEqualTo(batches);
                assertThat(dump(db)).isEqualTo(want);
            }
        } finally {
            DatabaseModelTest.deleteRecursively(fresh);
            DatabaseModelTest.deleteRecursively(reused);
            DatabaseModelTest.deleteRecursively(crashed);
        }
    }

    @Test
    void aBatchResetToNoPointsIsEmptyAndWritesNothing() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-reset-empty");
        try (Database db = Database.open(dir)) {
            WriteBatch w = new WriteBatch().add("cpu", TAGS[0], 1, 1.0);
            db.write(w);
            w.reset();
            assertThat(w.isEmpty()).isTrue();
            assertThat(w.pointCount()).isZero();
            db.write(w);
            assertThat(db.stats().get("batches_written")).isEqualTo(1);
        } finally {
            DatabaseModelTest.deleteRecursively(dir);
        }
    }

    /**
     * A run remembers its tag set's id per series catalog, so one reused batch written alternately to
     * two databases that numbered the same tag sets differently, and to a series dropped and created
     * again (a new catalog, ids from scratch), must still land every point under its own tag set.
     */
    @Test
    void aReusedBatchKeepsItsTagSetsApartAcrossDatabasesAndARecreatedSeries() throws IOException {
        Path a = Files.createTempDirectory("ugnos-reset-a");
        Path b = Files.createTempDirectory("ugnos-reset-b");
        try (Database da = Database.open(a); Database dbb = Database.open(b)) {
            // b numbers the tag sets in the opposite order
            WriteBatch first = new WriteBatch();
            for (int t = TAGS.length - 1; t >= 0; t--) {
                first.add("cpu.a", TAGS[t], 0, -t);
            }
            dbb.write(first);
            WriteBatch w = new WriteBatch();
            WriteBatch.Run[] runs = new WriteBatch.Run[TAGS.length];
            for (int t = 0; t < TAGS.length; t++) {
                runs[t] = w.run("cpu.a", TAGS[t]);
            }
            for (int k = 1; k <= 4; k++) {
                w.reset();
                for (int t = 0; t < TAGS.length; t++) {
                    runs[t].add(k, 100 * k + t); // the value names its tag set
                }
                da.write(w);
                dbb.write(w);
                if (k == 2) {
                    da.dropSeries("cpu.a");
                    WriteBatch other = new WriteBatch().add("cpu.a", TAGS[2], 0, -2); // the new catalog's id 0 is TAGS[2]
                    da.write(other);
                }
            }
            for (Database db : List.of(da, dbb)) {
                try (ScanCursor c = db.scan(ScanRequest.all("cpu.a"))) {
                    int seen = 0;
                    while (c.next()) {
                        TagSet tags = c.tagSet(c.batch().tagSetId());
                        int t = java.util.Arrays.asList(TAGS).indexOf(tags);
                        for (int i = 0; i < c.batch().size(); i++) {
                            long ts = c.batch().timestamps()[i];
                            double v = c.batch().values()[i];
                            assertThat(v).as("point %d of %s", ts, tags).isEqualTo(ts == 0 ? -t : 100 * ts + t);
                            seen++;
                        }
                    }
                    assertThat(seen).isEqualTo(db == da ? 1 + 2 * TAGS.length : TAGS.length * 5);
                }
            }
        } finally {
            DatabaseModelTest.deleteRecursively(a);
            DatabaseModelTest.deleteRecursively(b);
        }
    }

    /** Every point of every series, per tag set in timestamp order, as text. */
    private static String dump(Database db) {
        StringBuilder sb = new StringBuilder();
        for (String s : SERIES) {
            if (!db.hasSeries(s)) {
                continue;
            }
            TreeMap<String, List<String>> byTags = new TreeMap<>();
            try (ScanCursor c = db.scan(ScanRequest.all(s))) {
                while (c.next()) {
                    List<String> l = byTags.computeIfAbsent(c.tagSet(c.batch().tagSetId()).toString(), x -> new ArrayList<>());
                    for (int i = 0; i < c.batch().size(); i++) {
                        l.add(c.batch().timestamps()[i] + "=" + c.batch().values()[i]);
                    }
                }
            }
            sb.append(s).append(byTags).append('\n');
        }
        return sb.toString();
    }
}
