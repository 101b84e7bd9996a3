package io.ugnos.sql;

import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A comparison of a field with a DOUBLE parameter is the family scan's alone (no filter above it in
 * the plan), so every value the parameter can take must give Calcite's answer: a number, NULL and
 * NaN (never TRUE), as the same query on the member series gives it.
 */
class FamilyScanParameterTest {
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @BeforeEach
    void load() {
        WriteBatch b = new WriteBatch();
        b.add("m.a", TagSet.of("host", "h1"), 1_000_000L, 90.5);
        b.add("m.a", TagSet.of("host", "h1"), 2_000_000L, 95.0);
        b.add("m.a", TagSet.of("host", "h2"), 2_000_000L, 50.0);
        b.add("m.a", TagSet.of("host", "h2"), 3_000_000L, Double.NaN);
        b.add("m.b", TagSet.of("host", "h1"), 1_000_000L, 1.0);
        b.add("m.b", TagSet.of("host", "h2"), 2_000_000L, 2.0);
        t.db().write(b);
    }

    @Test
    void theScanAloneAppliesAComparisonWithADoubleParameter() throws SQLException {
        String plan = explain("SELECT ts_ns, a FROM m WHERE a > ? ORDER BY ts_ns");
        assertThat(plan).contains("FamilyScan").doesNotContain("Calc").doesNotContain("Sort");
    }

    @Test
    void everyParameterValueGivesTheSeriesAnswer() throws SQLException {
        for (Object v : Arrays.asList(90.0, 49.5, 95.0, -1.0, 0, 90, null, Double.NaN, Double.NEGATIVE_INFINITY)) {
            for (String op : List.of(">", ">=", "<", "<=")) {
                List<List<Object>> family = query("SELECT ts_ns, a FROM m WHERE a " + op + " ? ORDER BY ts_ns, host", v);
                List<List<Object>> series = query("SELECT ts_ns, \"value\" FROM \"m.a\" WHERE \"value\" " + op
                        + " CAST(? AS DOUBLE) ORDER BY ts_ns, host", v);
                assertThat(family).as("a %s %s", op, v).isEqualTo(series);
            }
        }
    }

    private String explain(String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement s = t.connection().createStatement(); ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }

    private List<List<Object>> query(String sql, Object parameter) throws SQLException {
        try (PreparedStatement ps = t.connection().prepareStatement(sql)) {
            if (parameter == null) {
                ps.setNull(1, java.sql.Types.DOUBLE);
            } else {
                ps.setObject(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>();
                for (List<Object> r : SqlTestDb.rows(rs)) {
                    rows.add(r);
                }
                return rows;
            }
        }
    }
}
