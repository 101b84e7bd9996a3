package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateRow;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An aggregate asking for MAX alone (TSBS's per-minute MAX) or MIN alone takes its own loop, which
 * compares instead of calling the NaN- and zero-aware {@code Math.max}, and falls back to it when
 * a run holds a NaN or ends at -0.0. Against the reference model, bit for bit, on values drawn
 * mostly from NaN, -0.0, 0.0 and the infinities, in runs of every length, decoded and in memory.
 */
class SingleFunctionAggregateTest {
    private static final double[] VALUES = {Double.NaN, -0.0, 0.0, 0.0, -0.0, 1, -1, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 0.5};

    @Property(tries = 80)
    void maxAloneAndMinAloneAgreeWithTheModel(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-one-fn");
        ReferenceModel model = new ReferenceModel();
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBlockPoints(2 + rnd.nextInt(60))
                .withBackgroundCompaction(false))) {
            WriteBatch b = new WriteBatch();
            TagSet t = TagSet.of(Map.of("host", "h"));
            long ts = rnd.nextInt(1000);
            boolean regular = rnd.nextBoolean();
            for (int i = 0, n = 1 + rnd.nextInt(400); i < n; i++) {
                ts += regular ? 10 : 1 + rnd.nextInt(20);
                // mostly zeros of either sign: a run's maximum is then often a zero
                double v = rnd.nextInt(3) == 0 ? rnd.nextGaussian() : VALUES[rnd.nextInt(VALUES.length)];
                b.add("s", t, ts, v);
            }
            db.write(b);
            model.write(b);
            if (rnd.nextBoolean()) {
                db.flush();
            }
            List<io.ugnos.engine.index.TagSet> order = List.of(t);
            for (int q = 0; q < 8; q++) {
                long width = 10L * (1 + rnd.nextInt(12)) + (rnd.nextInt(4) == 0 ? 3 : 0);
                for (AggFn fn : List.of(AggFn.MAX, AggFn.MIN)) {
                    Set<AggFn> fns = rnd.nextBoolean() ? Set.of(fn) : Set.of(fn, AggFn.COUNT);
                    List<AggregateRow> got = db.aggregate(new AggregateRequest("s", TimeRange.ALL, TagPredicate.ALL, width, 0,
                            fns, List.of())).rows();
                    Map<Long, ReferenceModel.Row> want = new HashMap<>();
                    for (ReferenceModel.Row r : model.aggregate("s", TimeRange.ALL, TagPredicate.ALL, width, 0, List.of(), 0, order)) {
                        want.put(r.bucket(), r);
                    }
                    assertThat(got).hasSize(want.size());
                    for (AggregateRow r : got) {
                        ReferenceModel.Row w = want.get(r.bucket());
                        double expected = fn == AggFn.MAX ? w.max() : w.min();
                        double actual = fn == AggFn.MAX ? r.max() : r.min();
                        assertThat(Double.doubleToRawLongBits(actual)).as("seed %d width %d %s of bucket %d: %s, want %s",
                                seed, width, fns, r.bucket(), actual, expected).isEqualTo(Double.doubleToRawLongBits(expected));
                    }
                }
            }
        } finally {
            TestDirs.deleteRecursively(dir);
        }
    }
}
