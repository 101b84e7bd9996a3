package io.ugnos.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drawn query parameters: repeatable, inside the data, and not aligned to buckets in general. */
class TsbsQueriesTest {
    private static final long HOUR = 3_600_000_000_000L;

    @Test
    void theSameSeedDrawsTheSameQueriesAndWindowsLieInsideTheData() {
        TsbsDevopsGenerator data = new TsbsDevopsGenerator(1, 20, 0, 24 * HOUR, true);
        List<TsbsQuery> a = TsbsQueries.draw(data, 7);
        assertThat(TsbsQueries.draw(data, 7)).isEqualTo(a);
        assertThat(TsbsQueries.draw(data, 8)).isNotEqualTo(a);
        assertThat(a).extracting(TsbsQuery::name).contains("single-groupby-1-1-1", "single-groupby-5-8-1",
                "cpu-max-all-8", "double-groupby-all", "high-cpu-1", "high-cpu-all", "lastpoint", "groupby-orderby-limit");
        for (TsbsQuery q : a) {
            if (q.hasStart()) {
                assertThat(q.startNanos()).as(q.name()).isGreaterThanOrEqualTo(0);
            }
            if (q.hasEnd()) {
                assertThat(q.endNanos()).as(q.name()).isLessThanOrEqualTo(24 * HOUR);
            }
            assertThat(q.hostnames()).as(q.name()).doesNotHaveDuplicates();
        }
        assertThat(a).filteredOn(q -> q.name().equals("single-groupby-1-8-1")).singleElement()
                .satisfies(q -> assertThat(q.hostnames()).hasSize(8));
        assertThat(a).filteredOn(TsbsQuery::hasStart).anyMatch(q -> q.startNanos() % 60_000_000_000L != 0);
    }

    @Test
    void ugnosSqlUsesTheSeriesTableForOneMetricAndTheFamilyForSeveral() {
        TsbsQuery one = new TsbsQuery("single-groupby-1-1-1", TsbsQuery.Kind.SINGLE_GROUPBY, 1, List.of("host_3"),
                90_000_000_000L, 90_000_000_000L + HOUR);
        assertThat(NarrowDialect.ugnos().sql(one)).contains("FROM \"cpu.usage_user\"", "FLOOR(ts TO MINUTE)",
                "hostname IN ('host_3')", "ts >= TIMESTAMP '1970-01-01 00:01:30.000'",
                "ts < TIMESTAMP '1970-01-01 01:01:30.000'").doesNotContain("JOIN");
        TsbsQuery q = new TsbsQuery("single-groupby-5-1-1", TsbsQuery.Kind.SINGLE_GROUPBY, 5, List.of("host_3"),
                90_000_000_000L, 90_000_000_000L + HOUR);
        String sql = NarrowDialect.ugnos().sql(q);
        assertThat(sql).contains("MAX(usage_user) AS usage_user", "MAX(usage_iowait) AS usage_iowait", " FROM cpu WHERE ",
                "GROUP BY FLOOR(ts TO MINUTE)", "hostname IN ('host_3')", "ts >= TIMESTAMP '1970-01-01 00:01:30.000'",
                "ts < TIMESTAMP '1970-01-01 01:01:30.000'").doesNotContain("JOIN");
        assertThat(NarrowDialect.duckDb().sql(q)).contains("FROM cpu_usage_iowait", "JOIN");
        assertThat(WideDialect.questDb().sql(q)).contains("SAMPLE BY 1m ALIGN TO CALENDAR",
                "ts >= '1970-01-01T00:01:30.000000Z'");
    }
}
