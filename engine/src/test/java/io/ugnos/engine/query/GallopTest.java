package io.ugnos.engine.query;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ScanCursor#gallop} finds what a linear search finds. */
class GallopTest {
    @Property(tries = 500)
    void gallopFindsTheFirstValueAtLeastTheKey(@ForAll @Size(max = 80) List<@IntRange(min = 0, max = 200) Integer> raw,
                                               @ForAll @IntRange(min = -5, max = 210) int key,
                                               @ForAll @IntRange(min = 0, max = 90) int fromSeed,
                                               @ForAll @IntRange(min = 0, max = 90) int toSeed) {
        long[] a = raw.stream().mapToLong(Integer::longValue).sorted().distinct().toArray();
        int from = Math.min(fromSeed, a.length);
        int to = Math.max(from, Math.min(toSeed, a.length));
        int expected = from;
        while (expected < to && a[expected] < key) {
            expected++;
        }
        assertThat(ScanCursor.gallop(a, from, to, key)).isEqualTo(expected);
    }
}
