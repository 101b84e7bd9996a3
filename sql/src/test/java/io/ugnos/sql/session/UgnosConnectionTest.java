package io.ugnos.sql.session;

import io.ugnos.sql.SqlTestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.BatchUpdateException;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connection wrapper: routing, read-only mode, prepared DDL, statement batches and wrappers. */
class UgnosConnectionTest {
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    @Test
    void readOnlyConnectionRefusesDdlAndInsertButAnswersQueriesAndShow() throws Exception {
        t.update("INSERT INTO cpu (ts_ns, value) VALUES (1, 1)");
        t.connection().setReadOnly(true);
        assertThat(t.connection().isReadOnly()).isTrue();
        for (String sql : List.of("CREATE SERIES mem", "DROP SERIES cpu", "ALTER DATABASE SET RETENTION '1d'", "FLUSH", "COMPACT",
                "DELETE FROM cpu WHERE ts_ns < 5", "INSERT INTO cpu (ts_ns, value) VALUES (2, 2)")) {
            assertThatThrownBy(() -> t.update(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("connection is read-only");
        }
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (ts_ns, value) VALUES (?, ?)")) {
            ps.setLong(1, 3);
            ps.setDouble(2, 3);
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class).hasMessageContaining("connection is read-only");
        }
        assertThat(t.rows("SHOW SERIES")).containsExactly(List.of("cpu"));
        assertThat(t.scalar("SELECT count(*) FROM cpu")).isEqualTo(1L);
        t.connection().setReadOnly(false);
        assertThat(t.update("CREATE SERIES mem")).isZero();
    }

    /**
     * Regression (load test, issue #7): commit and rollback reached Calcite, which threw a bare
     * UnsupportedOperationException, so a client that turned auto-commit off (as pools and frameworks
     * do) failed on commit, and over the server the error came back without a message.
     */
    @Test
    void commitIsANoOpAndRollbackFailsOnlyWhenWritesWouldHaveToBeUndone() throws Exception {
        java.sql.Connection c = t.connection();
        c.setAutoCommit(false);
        c.rollback(); // nothing written: what a pool does to every connection it gets back
        t.update("INSERT INTO cpu (ts_ns, value) VALUES (1, 1)");
        c.commit();
        c.rollback();
        t.update("INSERT INTO cpu (ts_ns, value) VALUES (2, 2)");
        assertThatThrownBy(c::rollback).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class)
                .hasMessageContaining("ugnos has no transactions").hasMessageContaining("cannot undo");
        c.rollback(); // reported once
        assertThat(t.scalar("SELECT count(*) FROM cpu")).isEqualTo(2L);
        c.setAutoCommit(true);
        c.commit();
        c.close();
        assertThatThrownBy(c::commit).isInstanceOf(java.sql.SQLNonTransientConnectionException.class).hasMessageContaining("closed");
    }

    @Test
    void aLockedReadOnlyConnectionStaysReadOnlyAndSaysWhy() throws Exception {
        UgnosConnection c = t.connection().unwrap(UgnosConnection.class);
        c.lockReadOnly("user 'bob' has role readonly");
        assertThat(c.isReadOnly()).isTrue();
        assertThatThrownBy(() -> c.setReadOnly(false)).isInstanceOf(SQLException.class)
                .hasMessage("cannot make the connection writable: user 'bob' has role readonly")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        c.setReadOnly(true);
        assertThat(c.isReadOnly()).isTrue();
        assertThatThrownBy(() -> t.update("INSERT INTO cpu (ts_ns, value) VALUES (2, 2)"))
                .hasMessageContaining("connection is read-only").hasMessageContaining("user 'bob' has role readonly");
        assertThat(t.rows("SHOW SERIES")).isEmpty();
    }

    @Test
    void commitAndRollbackDoNothingSinceEveryWriteStandsAlone() throws Exception {
        t.update("INSERT INTO cpu (ts_ns, value) VALUES (1, 1)");
        t.connection().commit();
        t.connection().rollback();
        assertThat(t.scalar("SELECT count(*) FROM cpu")).isEqualTo(1L);
    }

    @Test
    void preparedDdlRunsOnEachExecution() throws Exception {
        try (PreparedStatement ps = t.connection().prepareStatement("SHOW SERIES")) {
            assertThat(ps.getParameterMetaData().getParameterCount()).isZero();
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isFalse();
            }
            t.update("CREATE SERIES a");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("a");
            }
        }
        assertThatThrownBy(() -> t.connection().prepareStatement("DROP SERIES")).isInstanceOf(java.sql.SQLSyntaxErrorException.class);
    }

    @Test
    void insertParametersAreDescribedByTheirColumn() throws Exception {
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (value, host, ts, ts_ns) VALUES (?, ?, ?, ?)")) {
            ParameterMetaData md = ps.getParameterMetaData();
            assertThat(md.getParameterCount()).isEqualTo(4);
            assertThat(List.of(md.getParameterType(1), md.getParameterType(2), md.getParameterType(3), md.getParameterType(4)))
                    .containsExactly(Types.DOUBLE, Types.VARCHAR, Types.TIMESTAMP, Types.BIGINT);
            assertThatThrownBy(() -> ps.setString(5, "x")).isInstanceOf(SQLException.class).hasMessageContaining("out of range");
        }
    }

    @Test
    void unsetParameterIsAnError() throws Exception {
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (ts_ns, value) VALUES (?, ?)")) {
            ps.setLong(1, 1);
            assertThatThrownBy(ps::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("parameter 2 of the INSERT is not set");
        }
    }

    @Test
    void statementBatchRunsInOrderAndStopsAtTheFirstFailure() throws Exception {
        try (Statement s = t.connection().createStatement()) {
            s.addBatch("CREATE SERIES a");
            s.addBatch("INSERT INTO a (ts_ns, value) VALUES (1, 1), (2, 2)");
            assertThat(s.executeBatch()).containsExactly(0, 2);
            s.addBatch("INSERT INTO a (ts_ns, value) VALUES (3, 3)");
            s.addBatch("CREATE SERIES a");
            s.addBatch("INSERT INTO a (ts_ns, value) VALUES (4, 4)");
            assertThatThrownBy(s::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .hasMessageContaining("statement 2 of the batch failed")
                    .satisfies(e -> assertThat(((BatchUpdateException) e).getUpdateCounts()).containsExactly(1));
        }
        assertThat(t.scalar("SELECT count(*) FROM a")).isEqualTo(3L);
    }

    @Test
    void preparedQueriesRunOnCalciteButBelongToTheWrapper() throws Exception {
        t.update("INSERT INTO cpu (ts_ns, value, host) VALUES (1, 1, 'a'), (2, 2, 'b')");
        try (PreparedStatement ps = t.connection().prepareStatement("SELECT value FROM cpu WHERE host = ?")) {
            assertThat(ps.getConnection()).isSameAs(t.connection());
            ps.setString(1, "b");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(2.0);
            }
            assertThat(ps.isWrapperFor(org.apache.calcite.avatica.AvaticaPreparedStatement.class)).isTrue();
        }
        assertThatThrownBy(() -> t.connection().prepareStatement("SELECT nope FROM cpu"))
                .isInstanceOf(SQLException.class).hasMessageContaining("nope");
    }

    @Test
    void statementsBelongToTheWrapperAndUnwrapToCalcite() throws Exception {
        try (Statement s = t.connection().createStatement()) {
            assertThat(s.getConnection()).isSameAs(t.connection());
            assertThat(t.connection().isWrapperFor(org.apache.calcite.jdbc.CalciteConnection.class)).isTrue();
            assertThat(t.connection().unwrap(UgnosConnection.class)).isSameAs(t.connection());
        }
    }
}
