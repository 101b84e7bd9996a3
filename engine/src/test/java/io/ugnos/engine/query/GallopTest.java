package io.ugnos.engine.query;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScanCursor#gallop} finds what a linear search finds: on random ascending arrays, and on
 * evenly spaced ones with gaps and irregular points, where its first guess hits, falls short or
 * overshoots, and at the ends of the long range, where the guess's arithmetic would overflow.
 */
class GallopTest {
    @Property(tries = 500)
    void gallopFindsTheFirstValueAtLeastTheKey(@ForAll @Size(max = 80) List<@IntRange(min = 0, max = 200) Integer> raw,
                                               @ForAll @IntRange(min = -5, max = 210) int key,
                                               @ForAll @IntRange(min = 0, max = 90) int fromSeed,
                                               @ForAll @IntRange(min = 0, max = 90) int toSeed) {
        long[] a = raw.stream().mapToLong(Integer::longValue).sorted().distinct().toArray();
        check(a, fromSeed, toSeed, key);
    }

    @Property(tries = 1000)
    void gallopFindsItOnEvenlySpacedTimestamps(@ForAll @IntRange(min = 0, max = 80) int n,
                                               @ForAll @IntRange(min = 1, max = 10) int step,
                                               @ForAll("origins") long origin,
                                               @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 80) Integer> gaps,
                                               @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 80) Integer> odd,
                                               @ForAll @IntRange(min = -20, max = 1000) int keyOffset,
                                               @ForAll @IntRange(min = 0, max = 90) int fromSeed,
                                               @ForAll @IntRange(min = 0, max = 90) int toSeed) {
        long[] a = new long[n];
        long t = origin;
        for (int i = 0; i < n; i++) {
            a[i] = t;
            long next = gaps.contains(i) ? step * 7L : odd.contains(i) ? 1 : step; // a missing stretch, a point off the grid
            if (t > Long.MAX_VALUE - next) {
                a = java.util.Arrays.copyOf(a, i + 1);
                break;
            }
            t += next;
        }
        long key = keyOffset == 1000 ? Long.MAX_VALUE : keyOffset == -20 ? Long.MIN_VALUE // key - a[from] overflows
                : keyOffset >= 0 ? origin + Math.min(keyOffset, Long.MAX_VALUE - origin) : origin + keyOffset;
        check(a, fromSeed, toSeed, key);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> origins() {
        return net.jqwik.api.Arbitraries.of(0L, -500L, 1_767_225_600_000_000_000L, Long.MIN_VALUE + 30, Long.MAX_VALUE - 900);
    }

    private static void check(long[] a, int fromSeed, int toSeed, long key) {
        int from = Math.min(fromSeed, a.length);
        int to = Math.max(from, Math.min(toSeed, a.length));
        int expected = from;
        while (expected < to && a[expected] < key) {
            expected++;
        }
        assertThat(ScanCursor.gallop(a, from, to, key)).as("%s [%d, %d) key %d", java.util.Arrays.toString(a), from, to, key)
                .isEqualTo(expected);
    }
}
