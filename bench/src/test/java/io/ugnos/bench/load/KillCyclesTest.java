package io.ugnos.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 cycles' short CI mode: 3 kills of a {@code --durability sync} server in another JVM
 * while 4 remote clients insert; {@code -Dugnos.killCycles=N} runs more (or {@code KillCycles --cycles=N}).
 */
class KillCyclesTest {
    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedRowSurvivesKillNineExactlyOnce() throws Exception {
        int cycles = Integer.getInteger("ugnos.killCycles", 3);
        KillCycles.Result r = KillCycles.run(tmp.resolve("db"), cycles, 4, 42);
        r.print(System.out);
        assertThat(r.errors()).isEmpty();
        assertThat(r.cycles()).isEqualTo(cycles);
        assertThat(r.rowsAcked()).isPositive();
        assertThat(r.audit().missing()).as("acknowledged rows lost").isZero();
        assertThat(r.audit().duplicated()).isZero();
        assertThat(r.audit().unexpected()).isZero();
        assertThat(r.audit().read()).isBetween(r.rowsAcked(), r.rowsAcked() + r.rowsInFailedBatches());
    }
}
