package io.ugnos.sql.schema;

import io.ugnos.engine.CorruptionException;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link FieldReads}: every read's result in field order, the second half on another thread when
 * the work is large enough (the tests set the threshold to 0), a failure on either thread rethrown
 * as thrown.
 */
class FieldReadsTest {
    @Property(tries = 50)
    void resultsComeBackInFieldOrder(@ForAll @IntRange(min = 0, max = 12) int n) {
        assertThat(FieldReads.all(n, f -> "field " + f, Long.MAX_VALUE))
                .containsExactlyElementsOf(IntStream.range(0, n).mapToObj(f -> "field " + f).toList());
    }

    @Example
    void aLargeReadIsSplitOverTwoThreads() {
        assumeThat(Runtime.getRuntime().availableProcessors()).as("a second core").isGreaterThan(1);
        assertThat(FieldReads.MIN_POINTS).as("set to 0 by the build, for the tests").isZero();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = FieldReads.all(6, f -> {
            threads.add(Thread.currentThread());
            return f;
        }, 1);
        assertThat(out).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(threads).hasSize(2).contains(Thread.currentThread());
    }

    @Example
    void aSmallReadStaysOnTheCaller() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        FieldReads.all(6, f -> threads.add(Thread.currentThread()), -1);
        assertThat(threads).containsExactly(Thread.currentThread());
    }

    /** When the caller's half fails, the other half has ended before the failure is rethrown: no scan outlives the statement. */
    @Example
    void aFailedStatementLeavesNoReadRunning() {
        assumeThat(Runtime.getRuntime().availableProcessors()).as("a second core").isGreaterThan(1);
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        assertThatThrownBy(() -> FieldReads.all(4, f -> {
            if (f == 0) {
                throw new IllegalStateException("first half fails at once");
            }
            if (f >= 2) { // the other thread's half
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.incrementAndGet();
            }
            return f;
        }, Long.MAX_VALUE)).hasMessage("first half fails at once");
        assertThat(finished.get()).isEqualTo(2);
    }

    @Example
    void aFailureOnEitherThreadIsRethrownAsThrown() {
        CorruptionException bad = new CorruptionException(Path.of("seg-7.ugs"), 4096, "block checksum mismatch");
        for (int failing : new int[]{0, 5}) { // the caller's half, the other thread's half
            assertThatThrownBy(() -> FieldReads.all(6, f -> {
                if (f == failing) {
                    throw bad;
                }
                return f;
            }, Long.MAX_VALUE)).isSameAs(bad);
        }
    }
}
