package io.ugnos.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the query benchmark end to end in its CI-sized mode: loads ugnos, DuckDB (both layouts) and
 * QuestDB, cross-checks every query's answer on every system (a difference throws), times them and
 * writes the report with its charts. The run also loads ugnos a second time through JDBC batches and
 * throws unless that database holds as many points as the engine-loaded one.
 */
class QueryBenchmarkQuickTest {

    @Test
    void quickModeCrossChecksEveryQueryAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.md");
        BenchConfig config = BenchConfig.parse("--quick", "--reps=1", "--report=" + report, "--data-dir=" + dir.resolve("data"));

        BenchmarkReport result = new QueryBenchmark(config, System.out).run();
        result.write(report);

        ScaleResult r = result.main();
        assertThat(r.loads()).containsOnlyKeys("ugnos", UgnosJdbcLoad.NAME, "DuckDB (narrow)", "DuckDB (wide)",
                "QuestDB", "ugnos" + QueryBenchmark.WARM, "QuestDB" + QueryBenchmark.WARM);
        // the warm loads hold the same data as the first; their row is the median of the quick mode's two
        assertThat(r.loads().get("ugnos" + QueryBenchmark.WARM).apparentBytes())
                .isCloseTo(r.loads().get("ugnos").apparentBytes(), org.assertj.core.api.Assertions.withinPercentage(1));
        assertThat(r.loads().get("QuestDB" + QueryBenchmark.WARM).note()).startsWith("median of 2 warm loads");
        assertThat(r.latency()).hasSize(15);
        long queriesWithRows = r.latency().values().stream().filter(by -> by.get("ugnos").rows() > 0).count();
        assertThat(queriesWithRows).as("queries whose answers were compared on real rows").isGreaterThanOrEqualTo(13);
        r.latency().forEach((q, by) -> assertThat(by.values()).as(q).allSatisfy(s -> {
            assertThat(s.median()).isPositive();
            assertThat(s.planMedian() + s.execMedian()).isGreaterThan(0);
        }));
        assertThat(r.ugnosWork()).hasSize(15);
        // hour buckets over hour-aligned blocks: the hours inside the window come from block headers
        assertThat(r.ugnosWork().get("cpu-max-all-1").blocksFromHeaders()).isPositive();
        assertThat(r.ugnosWork().get("double-groupby-all").blocksFromHeaders())
                .isGreaterThan(r.ugnosWork().get("double-groupby-all").blocksDecoded());
        String md = Files.readString(report);
        assertThat(md).as("the JDBC load is a row of the load table only")
                .contains("| " + UgnosJdbcLoad.NAME + " |").doesNotContain(UgnosJdbcLoad.NAME + " plan");
        assertThat(md).as("the warm loads are rows of the load table only")
                .contains("| ugnos" + QueryBenchmark.WARM + " |").doesNotContain("ugnos" + QueryBenchmark.WARM + " plan");
        assertThat(md).contains("| single-groupby-1-1-1 |", "| lastpoint |", "| groupby-orderby-limit |",
                "ugnos / DuckDB (wide)", "ugnos / QuestDB", "| blocks decoded | blocks from headers |");
        for (String chart : new String[]{"load-rate", "bytes-per-point", "query-latency"}) {
            assertThat(dir.resolve("report").resolve(chart + ".png")).isNotEmptyFile();
        }
        assertThat(dir.resolve("data")).isEmptyDirectory();
    }
}
