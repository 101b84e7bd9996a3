package io.ugnos.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load test's short CI mode: 16 remote and 16 pooled embedded clients for a few seconds. Longer
 * runs: {@code LoadTest --seconds=60} (docs/benchmarks.md, "Load test").
 */
class LoadTestTest {
    @Test
    void everyAcknowledgedRowIsReadExactlyOnceAndNothingLeaks() throws Exception {
        LoadResult r = LoadTest.run(LoadConfig.defaults().withSeconds(6));
        r.print(System.out);
        assertThat(r.errors()).isEmpty();
        assertThat(r.rowsAcked()).isPositive();
        assertThat(r.latencies().count(OperationKind.INSERT)).isPositive();
        assertThat(r.latencies().count(OperationKind.SELECTIVE) + r.latencies().count(OperationKind.SCAN)).isPositive();
        assertThat(r.audit().expected()).isEqualTo(r.rowsAcked() + r.config().series()); // + one seed row per series
        assertThat(r.audit().missing()).isZero();
        assertThat(r.audit().duplicated()).isZero();
        assertThat(r.audit().unexpected()).isZero();
        assertThat(r.audit().read()).isEqualTo(r.audit().expected());
        assertThat(r.leaks()).isEmpty();
    }

    @Test
    void argumentsOverrideTheDefaults() {
        LoadConfig c = LoadConfig.parse("--seconds=5", "--remote-clients=2", "--embedded-clients=3", "--durability=sync");
        assertThat(c.seconds()).isEqualTo(5);
        assertThat(c.remoteClients()).isEqualTo(2);
        assertThat(c.embeddedClients()).isEqualTo(3);
        assertThat(c.durability()).isEqualTo(io.ugnos.engine.Durability.SYNC);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadConfig.parse("--clients=3"))
                .hasMessageContaining("unknown option --clients");
    }
}
