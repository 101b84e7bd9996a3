package io.ugnos.sql.session;

import io.ugnos.sql.SqlTestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A query text remembered as checked is checked again once the limits change, and a refused one stays refused. */
class CheckedQueriesTest {
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @Test
    void aRememberedQueryIsCheckedAgainUnderNewLimits() throws SQLException {
        String sql = "SELECT 1 AS one";
        for (int i = 0; i < 3; i++) {
            try (PreparedStatement ps = t.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
        UgnosConnection ugnos = t.connection().unwrap(UgnosConnection.class);
        ugnos.setLimits(SessionLimits.DEFAULTS.withMaxStatementBytes(sql.length() - 1));
        assertThatThrownBy(() -> t.connection().prepareStatement(sql)).isInstanceOf(SQLException.class)
                .hasMessageContaining("maxStatementBytes");
        try (Statement s = t.connection().createStatement()) {
            assertThatThrownBy(() -> s.executeQuery(sql)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("maxStatementBytes");
        }
        ugnos.setLimits(SessionLimits.DEFAULTS);
        try (Statement s = t.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aTooComplexQueryIsRefusedEveryTime() throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT 1 AS one WHERE 1 = 1");
        for (int i = 0; i <= StatementSize.MAX_BOOLEAN_TERMS; i++) {
            sql.append(" OR 1 = 1");
        }
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> t.connection().prepareStatement(sql.toString())).isInstanceOf(SQLException.class)
                    .hasMessageContaining("statement too complex");
        }
    }

    @Test
    void ddlAndInsertAreNotTakenForQueries() throws SQLException {
        try (Statement s = t.connection().createStatement()) {
            for (int i = 0; i < 2; i++) {
                assertThat(s.executeUpdate("INSERT INTO cpu (ts_ns, value, host) VALUES (" + (i + 1) + ", 1, 'a')")).isEqualTo(1);
                assertThat(s.execute("SHOW SERIES")).isTrue();
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cpu")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
    }
}
