package io.ugnos.engine;

import io.ugnos.engine.index.TagPredicate;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.AggFn;
import io.ugnos.engine.query.AggregateRequest;
import io.ugnos.engine.query.AggregateRow;
import io.ugnos.engine.query.MultiAggregateRequest;
import io.ugnos.engine.query.MultiAggregateResult;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Database#aggregate(MultiAggregateRequest)} against one {@link Database#aggregate(AggregateRequest)}
 * per member (itself checked against the reference model by {@link DatabaseModelTest}): each member
 * with functions has exactly its own rows, and the groups are the union of every member's, the
 * presence-only members' included, whose blocks are skipped when their span holds no new group.
 * Random sparse series (out of order, rewrites, NaN), flushes, compactions, deletes-before; random
 * ranges, predicates, buckets and group-bys. Whole columns read at once
 * ({@link MultiAggregateResult#column}) hold what {@link MultiAggregateResult#value} gives group by group.
 */
class MultiAggregateModelTest {
    private static final String[] SERIES = {"m.a", "m.b", "m.c"};

    @Property(tries = 40)
    void multiSeriesAggregatesEqualOneAggregatePerSeries(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed)
            throws IOException {
        Random rnd = new Random(seed);
        Path dir = Files.createTempDirectory("ugnos-multi-agg");
        AtomicLong clock = new AtomicLong(1_000_000);
        DatabaseOptions opts = DatabaseOptions.defaults().withBlockPoints(1 + rnd.nextInt(30))
                .withBackgroundCompaction(false).withClock(clock::get);
        try (Database db = Database.open(dir, opts)) {
            for (String s : SERIES) { // every member exists and has a point
                db.write(new WriteBatch().add(s, DatabaseModelTest.randomTags(rnd), DatabaseModelTest.randomTs(rnd, clock.get()), 1));
            }
            for (int a = 0, actions = 5 + rnd.nextInt(15); a < actions; a++) {
                int kind = rnd.nextInt(100);
                if (kind < 55) {
                    db.write(DatabaseModelTest.randomRuns(rnd, clock.get(), SERIES, null));
                } else if (kind < 70) {
                    db.flush();
                } else if (kind < 80) {
                    db.deleteBefore(SERIES[rnd.nextInt(SERIES.length)], DatabaseModelTest.randomTs(rnd, clock.get()));
                } else if (kind < 90) {
                    db.compact(rnd.nextBoolean());
                } else {
                    clock.addAndGet(rnd.nextInt(2_000_000));
                }
                check(db, rnd, clock.get(), seed);
            }
        } finally {
            TestDirs.deleteRecursively(dir);
        }
    }

    private static void check(Database db, Random rnd, long now, long seed) {
        long a = DatabaseModelTest.randomTs(rnd, now);
        long b = DatabaseModelTest.randomTs(rnd, now);
        TimeRange range = rnd.nextInt(4) == 0 ? TimeRange.ALL : TimeRange.of(Math.min(a, b), Math.max(a, b));
        TagPredicate p = rnd.nextBoolean() ? TagPredicate.ALL : DatabaseModelTest.randomPredicate(rnd, 0);
        long width = List.of(0L, 1_000_000L, 7_000_000L, 40_000_000L, 1_000_000_000L).get(rnd.nextInt(5));
        long origin = rnd.nextBoolean() ? 0 : rnd.nextInt(5_000_000);
        List<String> groupBy = List.of(List.<String>of(), List.of("host"), List.of("region", "host")).get(rnd.nextInt(3));
        List<MultiAggregateRequest.Member> members = new ArrayList<>();
        List<AggFn> all = List.of(AggFn.values());
        for (String s : SERIES) {
            Set<AggFn> fns = rnd.nextInt(3) == 0 ? Set.of()
                    : java.util.EnumSet.of(all.get(rnd.nextInt(all.size())), all.get(rnd.nextInt(all.size())));
            members.add(new MultiAggregateRequest.Member(s, fns));
        }
        MultiAggregateRequest req = new MultiAggregateRequest(range, p, width, origin, groupBy, members);
        String what = "seed " + seed + ": " + req;
        MultiAggregateResult got = db.aggregate(req);

        Set<String> groups = new TreeSet<>();
        for (int m = 0; m < members.size(); m++) {
            MultiAggregateRequest.Member member = members.get(m);
            Set<AggFn> fns = member.presenceOnly() ? Set.of(AggFn.COUNT) : member.functions();
            List<AggregateRow> want = db.aggregate(new AggregateRequest(member.series(), range, p, width, origin, fns, groupBy)).rows();
            Map<String, AggregateRow> byKey = new HashMap<>();
            for (AggregateRow w : want) {
                byKey.put(key(w.group(), width == 0 ? range.start() : w.bucket()), w);
                groups.add(key(w.group(), width == 0 ? range.start() : w.bucket()));
            }
            int found = 0;
            for (int g = 0; g < got.size(); g++) {
                AggregateRow r = got.row(m, g);
                if (r == null) {
                    continue;
                }
                assertThat(member.presenceOnly()).as(what + ": a presence-only member has no rows").isFalse();
                found++;
                AggregateRow w = byKey.get(key(got.groups().get(g), got.buckets()[g]));
                assertThat(w).as(what + ": " + member.series() + " has no row in " + key(got.groups().get(g), got.buckets()[g])).isNotNull();
                assertThat(r).as(what + ": " + member.series()).isEqualTo(w);
            }
            if (!member.presenceOnly()) {
                assertThat(found).as(what + ": rows of " + member.series()).isEqualTo(want.size());
            } else if (got.size() > 0) { // it keeps no accumulators: no points anywhere, and asking for them is an error
                int g = got.size() - 1;
                int mm = m;
                assertThat(got.count(m, g)).isZero();
                assertThat(got.value(m, g, AggFn.COUNT)).isZero();
                assertThat(got.value(m, g, AggFn.MAX)).isNaN();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> got.firstTs(mm, g))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("presence-only");
            }
        }
        // a whole column at once reads what value() reads group by group
        for (int m = 0; m < members.size(); m++) {
            for (AggFn fn : AggFn.values()) {
                double[] column = new double[got.size()];
                boolean[] none = new boolean[got.size()];
                got.column(m, fn, column, none);
                for (int g = 0; g < got.size(); g++) {
                    boolean empty = got.count(m, g) == 0;
                    assertThat(none[g]).as(what + ": member " + m + " group " + g + " empty").isEqualTo(empty);
                    double want = empty ? 0 : got.value(m, g, fn);
                    assertThat(Double.doubleToLongBits(column[g])).as(what + ": member " + m + " " + fn + " group " + g + " = " + want)
                            .isEqualTo(Double.doubleToLongBits(want));
                }
            }
        }
        List<String> gotGroups = new ArrayList<>();
        for (int g = 0; g < got.size(); g++) {
            gotGroups.add(key(got.groups().get(g), got.buckets()[g]));
        }
        assertThat(new TreeSet<>(gotGroups)).as(what + ": groups").isEqualTo(groups);
        assertThat(gotGroups).as(what + ": one row per group").doesNotHaveDuplicates();
    }

    private static String key(List<String> group, long bucket) {
        return group + "@" + bucket;
    }

}
