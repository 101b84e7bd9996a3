package io.ugnos.bench.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cross-check's comparison rules and its refusal of differing answers. */
class CrossCheckTest {
    private static final Instant T = Instant.parse("2026-01-01T00:01:00Z");

    @Test
    void rowOrderDoesNotMatterAndFloatsAgreeWithinTheTolerance() {
        List<List<Object>> a = List.of(List.of(T, "host_1", 1.0), List.of(T.plusSeconds(60), "host_0", 2.0));
        List<List<Object>> b = List.of(List.of(T.plusSeconds(60), "host_0", 2.0 * (1 + 1e-12)), List.of(T, "host_1", 1.0));
        assertThat(ResultRows.difference(a, b)).isNull();
    }

    @Test
    void reportsAValueBeyondTheToleranceAMissingRowAndANull() {
        List<List<Object>> a = List.of(List.of(T, 1.0));
        assertThat(ResultRows.difference(a, List.of(List.of(T, 1.0 + 1e-6)))).contains("column 2");
        assertThat(ResultRows.difference(a, List.of())).contains("row count 1 vs 0");
        List<Object> withNull = new ArrayList<>();
        withNull.add(T);
        withNull.add(null);
        assertThat(ResultRows.difference(a, List.of(withNull))).contains("column 2");
        assertThat(ResultRows.difference(a, List.of(List.of(T.plusMillis(1), 1.0)))).contains("column 1");
    }

    @Test
    void aDifferingSystemStopsTheRunWithBothSqlTextsAndAnswers() {
        TsbsQuery q = new TsbsQuery("single-groupby-1-1-1", TsbsQuery.Kind.SINGLE_GROUPBY, 1, List.of("host_0"), 0,
                3_600_000_000_000L);
        Fixed ref = new Fixed("ref", List.of(List.of(T, 5.0)));
        Fixed wrong = new Fixed("wrong", List.of(List.of(T, 6.0)));
        CrossCheck check = new CrossCheck(List.of(ref, wrong), "ref", new PrintStream(new ByteArrayOutputStream()));

        assertThatThrownBy(() -> check.run(List.of(q), Map.of(q.name(), Map.of("ref", "SELECT 5", "wrong", "SELECT 6"))))
                .isInstanceOf(ResultMismatchException.class)
                .hasMessageContaining("single-groupby-1-1-1: wrong differs from ref")
                .hasMessageContaining("SELECT 5").hasMessageContaining("SELECT 6")
                .hasMessageContaining("5.0").hasMessageContaining("6.0");
    }

    /** A system that answers every query with the same rows. */
    private record Fixed(String name, List<List<Object>> rows) implements QueryTarget {
        @Override
        public QueryDialect dialect() {
            return q -> "SELECT 1";
        }

        @Override
        public LoadFigures load(TsbsDevopsGenerator data, Path dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Execution execute(String sql, boolean keepRows) {
            return new Execution(1, 1, rows.size(), rows);
        }

        @Override
        public void close() {
        }
    }
}
