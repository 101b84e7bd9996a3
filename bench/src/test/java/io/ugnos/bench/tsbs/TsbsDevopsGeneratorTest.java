package io.ugnos.bench.tsbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TsbsDevopsGeneratorTest {

    private static final long START = Instant.parse("2016-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** Materialises a small stream (for tests only) as ts, host, values... per row. */
    private static List<double[]> collect(TsbsDevopsGenerator g) {
        List<double[]> rows = new ArrayList<>();
        g.forEachRow((ts, host, values) -> {
            double[] row = new double[12];
            row[0] = ts;
            row[1] = host;
            System.arraycopy(values, 0, row, 2, 10);
            rows.add(row);
        });
        return rows;
    }

    private static boolean sameStream(List<double[]> a, List<double[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void sameArgumentsGiveTheSameStreamAndTags() {
        TsbsDevopsGenerator a = new TsbsDevopsGenerator(42, 7, START, HOUR, false);
        TsbsDevopsGenerator b = new TsbsDevopsGenerator(42, 7, START, HOUR, false);
        assertThat(sameStream(collect(a), collect(b))).isTrue();
        assertThat(a.hosts()).isEqualTo(b.hosts());
        // replaying the same instance gives the same stream too
        assertThat(sameStream(collect(a), collect(a))).isTrue();
    }

    @Test
    void differentSeedGivesADifferentStream() {
        TsbsDevopsGenerator a = new TsbsDevopsGenerator(42, 7, START, HOUR, false);
        TsbsDevopsGenerator b = new TsbsDevopsGenerator(43, 7, START, HOUR, false);
        assertThat(sameStream(collect(a), collect(b))).isFalse();
        assertThat(a.hosts()).isNotEqualTo(b.hosts());
    }

    @Test
    void streamDoesNotDependOnHowItIsConsumed() {
        TsbsDevopsGenerator g = new TsbsDevopsGenerator(5, 3, START, HOUR, true);
        List<double[]> clean = collect(g);
        // a consumer scribbling over the reused array must not change what follows
        g.forEachRow((ts, host, values) -> Arrays.fill(values, -1));
        assertThat(sameStream(collect(g), clean)).isTrue();
    }

    @Test
    void hostDataDoesNotDependOnTheNumberOfHosts() {
        List<double[]> small = collect(new TsbsDevopsGenerator(9, 2, START, HOUR, false));
        List<double[]> large = collect(new TsbsDevopsGenerator(9, 5, START, HOUR, false));
        List<double[]> largeFirstTwo = large.stream().filter(r -> r[1] < 2).toList();
        assertThat(sameStream(small, largeFirstTwo)).isTrue();
    }

    @Test
    void integerModeTruncatesTheSameWalk() {
        List<double[]> real = collect(new TsbsDevopsGenerator(11, 4, START, HOUR, false));
        List<double[]> ints = collect(new TsbsDevopsGenerator(11, 4, START, HOUR, true));
        assertThat(ints).hasSameSizeAs(real);
        for (int i = 0; i < real.size(); i++) {
            for (int m = 2; m < 12; m++) {
                assertThat(ints.get(i)[m]).isEqualTo(Math.floor(real.get(i)[m]));
                assertThat(ints.get(i)[m] % 1.0).isZero();
            }
        }
        long nonInteger = real.stream().flatMapToDouble(r -> Arrays.stream(r, 2, 12))
                .filter(v -> v % 1.0 != 0).count();
        assertThat(nonInteger).isGreaterThan(real.size() * 9L);
    }

    @Test
    void countsMatchTheStream() {
        TsbsDevopsGenerator g = new TsbsDevopsGenerator(1, 5, START, HOUR, true);
        assertThat(g.ticks()).isEqualTo(360);
        assertThat(g.rows()).isEqualTo(1800);
        assertThat(g.points()).isEqualTo(18_000);
        assertThat(g.intervalNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
        long[] n = new long[1];
        g.forEachRow((ts, host, values) -> n[0]++);
        assertThat(n[0]).isEqualTo(g.rows());
    }

    @Test
    void partialIntervalRoundsUpAndZeroDurationIsEmpty() {
        assertThat(new TsbsDevopsGenerator(1, 2, START, 25_000_000_000L, false).ticks()).isEqualTo(3);
        TsbsDevopsGenerator empty = new TsbsDevopsGenerator(1, 2, START, 0, false);
        assertThat(empty.rows()).isZero();
        empty.forEachRow((ts, host, values) -> {
            throw new AssertionError("no rows expected");
        });
    }

    @Test
    void rowsAreOrderedByTimeThenHostAndValuesStayInRange() {
        TsbsDevopsGenerator g = new TsbsDevopsGenerator(3, 6, START, 6 * HOUR, false);
        long[] expected = {START, 0};
        g.forEachRow((ts, host, values) -> {
            assertThat(ts).isEqualTo(expected[0]);
            assertThat(host).isEqualTo((int) expected[1]);
            assertThat(values).hasSize(10);
            for (double v : values) {
                assertThat(v).isBetween(0.0, 100.0);
            }
            if (++expected[1] == 6) {
                expected[1] = 0;
                expected[0] += g.intervalNanos();
            }
        });
        assertThat(expected[0]).isEqualTo(START + g.ticks() * g.intervalNanos());
    }

    @Test
    void walkStepsAreSmallAndReachTheClamps() {
        // steps are normal(0,1): no jump larger than ~6 sigma between consecutive points of a series
        TsbsDevopsGenerator g = new TsbsDevopsGenerator(8, 50, START, 24 * HOUR, false);
        double[][] last = new double[50][];
        double[] maxStep = {0};
        int[] atBounds = {0};
        g.forEachRow((ts, host, values) -> {
            if (last[host] != null) {
                for (int m = 0; m < 10; m++) {
                    maxStep[0] = Math.max(maxStep[0], Math.abs(values[m] - last[host][m]));
                }
            }
            for (double v : values) {
                if (v == 0.0 || v == 100.0) {
                    atBounds[0]++;
                }
            }
            last[host] = values.clone();
        });
        assertThat(maxStep[0]).isBetween(3.0, 7.0);
        assertThat(atBounds[0]).isPositive();
    }

    @Test
    void metricsAreTheTenCpuFields() {
        assertThat(TsbsDevopsGenerator.METRICS).containsExactly("usage_user", "usage_system",
                "usage_idle", "usage_nice", "usage_iowait", "usage_irq", "usage_softirq",
                "usage_steal", "usage_guest", "usage_guest_nice");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new TsbsDevopsGenerator(1, 0, START, HOUR, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsbsDevopsGenerator(1, 1, START, -1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsbsDevopsGenerator(1, 1, Long.MAX_VALUE - 5, 2 * HOUR, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
