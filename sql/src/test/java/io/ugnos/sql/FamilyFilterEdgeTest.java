package io.ugnos.sql;

import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Family-table filters that the scan must not take for its own: a time parameter it cannot read,
 * and a cast that changes the value compared. Each answer is compared with the same query on the
 * member series, which Calcite and the series pushdown answer independently of the family scan.
 */
class FamilyFilterEdgeTest {
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @BeforeEach
    void load() {
        WriteBatch b = new WriteBatch();
        b.add("m.a", TagSet.of("host", "h1"), 1_000_000L, 90.5);
        b.add("m.a", TagSet.of("host", "h1"), 2_000_000L, 95.0);
        b.add("m.a", TagSet.of("host", "h2"), 2_000_000L, 50.0);
        b.add("m.b", TagSet.of("host", "h1"), 1_000_000L, 1.0);
        b.add("m.b", TagSet.of("host", "h2"), 2_000_000L, 2.0);
        t.db().write(b);
    }

    @Test
    void aTimeParameterTheScanCannotReadIsNotDropped() throws SQLException {
        LocalDateTime future = LocalDateTime.of(2030, 1, 1, 0, 0);
        for (String where : List.of("ts >= ?", "host = 'h1' AND ts >= ? AND a > 0")) {
            List<List<Object>> family = new ArrayList<>();
            SQLException familyError = null;
            try {
                family = query("SELECT ts_ns FROM m WHERE " + where, future);
            } catch (SQLException e) {
                familyError = e;
            }
            // either the rows the predicate keeps (none: every point is in 1970) or an error saying why
            if (familyError == null) {
                assertThat(family).as(where).isEmpty();
            } else {
                assertThat(familyError.getMessage()).as(where).isNotBlank();
            }
        }
    }

    @Test
    void aCastThatChangesTheValueIsEvaluatedAsWritten() throws SQLException {
        assertThat(t.rows("SELECT ts_ns, a FROM m WHERE CAST(a AS INTEGER) > 90 ORDER BY ts_ns"))
                .isEqualTo(t.rows("SELECT ts_ns, \"value\" FROM \"m.a\" WHERE CAST(\"value\" AS INTEGER) > 90 ORDER BY ts_ns"))
                .hasSize(1);
        assertThat(query("SELECT ts_ns, a FROM m WHERE a > CAST(? AS INTEGER) ORDER BY ts_ns", 90.7))
                .isEqualTo(query("SELECT ts_ns, \"value\" FROM \"m.a\" WHERE \"value\" > CAST(? AS INTEGER) ORDER BY ts_ns", 90.7))
                .hasSize(2);
        assertThat(t.rows("SELECT ts_ns, a FROM m WHERE a > 90 ORDER BY ts_ns")).hasSize(2);
    }

    private List<List<Object>> query(String sql, Object parameter) throws SQLException {
        try (PreparedStatement ps = t.connection().prepareStatement(sql)) {
            ps.setObject(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                return SqlTestDb.rows(rs);
            }
        }
    }
}
