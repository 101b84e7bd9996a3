package io.ugnos.engine.query;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bucket table of one group: its starts come back ascending, each with the slot it was given. */
class GroupBucketsTest {
    @Property(tries = 300)
    void startsComeBackAscendingWithTheirSlots(@ForAll @Size(max = 300) List<@IntRange(min = -50, max = 400) Integer> starts,
                                              @ForAll @IntRange(min = 0, max = 600) int expect) {
        GroupBuckets gb = new GroupBuckets(expect);
        Accumulators acc = new Accumulators(1, 16, EnumSet.of(AggFn.COUNT));
        Map<Long, Integer> slotOf = new HashMap<>();
        for (int s : starts) {
            long b = s * 60_000_000_000L; // minute starts, negative ones too
            int slot = gb.getOrAdd(b, acc);
            assertThat(slotOf.computeIfAbsent(b, k -> slot)).as("slot of %d", b).isEqualTo(slot);
        }
        long[] sorted = gb.sortedStarts();
        assertThat(sorted).containsExactly(slotOf.keySet().stream().sorted().mapToLong(Long::longValue).toArray());
        assertThat(gb.size()).isEqualTo(slotOf.size());
        for (long b : sorted) {
            assertThat(gb.get(b)).isEqualTo(slotOf.get(b));
        }
        assertThat(gb.get(-51 * 60_000_000_000L)).isEqualTo(-1);
    }

    /** Whether every bucket of a span is present: the binary searches (starts added in order) and the walk agree with a set. */
    @Property(tries = 500)
    void hasAllIsWhetherEveryBucketOfTheSpanIsThere(@ForAll @Size(max = 60) List<@IntRange(min = -20, max = 40) Integer> starts,
                                                   @ForAll boolean sorted,
                                                   @ForAll @IntRange(min = -25, max = 45) int from,
                                                   @ForAll @IntRange(min = 0, max = 30) int length) {
        List<Integer> order = sorted ? starts.stream().distinct().sorted().toList() : starts;
        GroupBuckets gb = new GroupBuckets(8);
        Accumulators acc = new Accumulators(1, 16, EnumSet.of(AggFn.COUNT));
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (int k : order) {
            gb.getOrAdd(k * 60_000_000_000L, acc);
            present.add(k);
        }
        boolean all = true;
        for (int k = from; k <= from + length; k++) {
            all &= present.contains(k);
        }
        assertThat(gb.hasAll(from * 60_000_000_000L, (from + length) * 60_000_000_000L, 60_000_000_000L))
                .as("%s, [%d, %d]", order, from, from + length).isEqualTo(all);
    }
}
