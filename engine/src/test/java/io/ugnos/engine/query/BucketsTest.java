package io.ugnos.engine.query;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bucket arithmetic: {@code of} is the start of the width-aligned bucket holding a timestamp,
 * checked against exact integer arithmetic, extreme timestamps and widths included (a bucket that
 * would start before the first instant is clamped to it).
 */
class BucketsTest {
    @Property(tries = 2000)
    void ofIsTheAlignedStartAtOrBeforeTheTimestamp(@ForAll("widths") long width, @ForAll("instants") long origin,
                                                    @ForAll("instants") long ts) {
        QueryExecutor.Buckets buckets = new QueryExecutor.Buckets(width, origin, 0);
        BigInteger d = BigInteger.valueOf(ts).subtract(BigInteger.valueOf(origin));
        BigInteger start = BigInteger.valueOf(ts).subtract(d.mod(BigInteger.valueOf(width)));
        long expected = start.compareTo(BigInteger.valueOf(Long.MIN_VALUE)) < 0 ? Long.MIN_VALUE : start.longValueExact();
        assertThat(buckets.of(ts)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Long> widths() {
        return Arbitraries.oneOf(Arbitraries.of(1L, 10_000_000_000L, 60_000_000_000L, 3_600_000_000_000L, Long.MAX_VALUE,
                        Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 1),
                Arbitraries.longs().between(1, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<Long> instants() {
        return Arbitraries.oneOf(Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE),
                Arbitraries.longs(), Arbitraries.longs().between(1_600_000_000_000_000_000L, 1_800_000_000_000_000_000L));
    }
}
