package io.ugnos.sql.session;

import io.ugnos.sql.SqlTestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-connection limits: statement size, open statements, rows per batch. */
class SessionLimitsTest {
    @RegisterExtension
    final SqlTestDb t = new SqlTestDb();

    private UgnosConnection ugnos() throws SQLException {
        return t.connection().unwrap(UgnosConnection.class);
    }

    @Test
    void aStatementOverTheDefaultMegabyteIsRefusedWithItsSizeTheLimitAndHowToRaiseIt() throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO cpu (ts_ns, value) VALUES (1, 1)");
        for (int i = 2; sql.length() <= 1 << 20; i++) {
            sql.append(", (").append(i).append(", 1)");
        }
        String big = sql.toString();
        Connection c = t.connection();
        for (ThrowingCall call : List.<ThrowingCall>of(
                () -> c.createStatement().execute(big),
                () -> c.createStatement().executeUpdate(big),
                () -> c.createStatement().executeQuery("SELECT 1 /*" + big + "*/"),
                () -> c.prepareStatement(big),
                () -> c.createStatement().addBatch(big))) {
            assertThatThrownBy(call::run).isInstanceOf(SQLException.class)
                    .hasMessageMatching("statement is 1,048,[0-9]{3} bytes of SQL text, over the limit of 1,048,576; .*")
                    .hasMessageContaining("maxStatementBytes")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(SessionLimits.SQL_STATE));
        }
        assertThat(t.db().hasSeries("cpu")).as("nothing was written").isFalse();

    }

    @Test
    void raisingTheLimitLetsTheStatementThrough() throws SQLException {
        String sql = "INSERT INTO cpu (ts_ns, value) VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7)";
        ugnos().setLimits(SessionLimits.DEFAULTS.withMaxStatementBytes(sql.length() - 1));
        assertThatThrownBy(() -> t.update(sql)).hasMessageContaining("over the limit of " + (sql.length() - 1));
        ugnos().setLimits(SessionLimits.DEFAULTS.withMaxStatementBytes(sql.length()));
        assertThat(t.update(sql)).isEqualTo(7);
    }

    @Test
    void theSizeCountsUtf8Bytes() throws SQLException {
        ugnos().setLimits(SessionLimits.DEFAULTS.withMaxStatementBytes(100));
        String tag = "é".repeat(40); // 40 chars, 80 bytes
        String sql = "SELECT 1 FROM (VALUES ('" + tag + "')) AS x(a)";
        assertThat(sql.length()).isLessThan(100);
        assertThatThrownBy(() -> t.connection().createStatement().executeQuery(sql))
                .hasMessageContaining("statement is " + (sql.length() + 40) + " bytes");
    }

    @Test
    void aPreparedStatementThatFailsToParseLeavesNothingOpen() throws SQLException {
        ugnos().setLimits(SessionLimits.DEFAULTS.withMaxOpenStatements(3));
        Connection c = t.connection();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> c.prepareStatement("INSERT INTO cpu (ts_ns, value) VALUES (")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.prepareStatement("ALTER SERIES cpu SET RETENTON '1d'")).isInstanceOf(SQLException.class);
        }
        assertThat(ugnos().openStatementCount()).isZero();
        try (Statement s = c.createStatement()) {
            assertThat(s.execute("INSERT INTO cpu (ts_ns, value) VALUES (1, 1)")).isFalse();
        }
    }

    @Test
    void theOpenStatementLimitCountsEveryKindAndClosingFreesSlots() throws SQLException {
        ugnos().setLimits(SessionLimits.DEFAULTS.withMaxOpenStatements(4));
        Connection c = t.connection();
        List<Statement> open = new ArrayList<>();
        open.add(c.createStatement());
        open.add(c.prepareStatement("SELECT 1"));
        open.add(c.prepareStatement("INSERT INTO cpu (ts_ns, value) VALUES (?, ?)"));
        open.add(c.prepareStatement("FLUSH"));
        assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class)
                .hasMessageContaining("4 statements are open on this connection, the limit")
                .hasMessageContaining("close statements").hasMessageContaining("maxOpenStatements")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(SessionLimits.SQL_STATE));
        assertThatThrownBy(() -> c.prepareStatement("SELECT 2")).hasMessageContaining("maxOpenStatements");

        for (Statement s : open) {
            s.close();
            try (Statement again = c.createStatement()) { // each close frees one slot
                assertThat(again.executeQuery("SELECT 1").next()).isTrue();
            }
        }
        assertThat(ugnos().openStatementCount()).isZero();

        // a statement closed through closeOnCompletion never calls our close(): its slot is reclaimed too
        for (int i = 0; i < 10; i++) {
            Statement s = c.createStatement();
            s.closeOnCompletion();
            s.executeQuery("SELECT 1").close();
        }
        c.createStatement().close();
    }

    @Test
    void aBatchOverTheRowLimitIsRefusedAndTheRowsBeforeItCanStillBeWritten() throws SQLException {
        ugnos().setLimits(SessionLimits.DEFAULTS.withMaxBatchRows(3));
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO cpu (ts_ns, value) VALUES (?, ?)")) {
            for (int i = 1; i <= 3; i++) {
                ps.setLong(1, i);
                ps.setDouble(2, i);
                ps.addBatch();
            }
            assertThatThrownBy(ps::addBatch).isInstanceOf(SQLException.class)
                    .hasMessageContaining("batch already holds 3 rows, the limit").hasMessageContaining("maxBatchRows");
            assertThat(ps.executeBatch()).hasSize(3);
            ps.setLong(1, 4);
            ps.setDouble(2, 4);
            ps.addBatch(); // room again
            ps.executeBatch();
        }
        try (Statement s = t.connection().createStatement()) {
            for (int i = 0; i < 3; i++) {
                s.addBatch("INSERT INTO cpu (ts_ns, value) VALUES (" + (10 + i) + ", 1)");
            }
            assertThatThrownBy(() -> s.addBatch("INSERT INTO cpu (ts_ns, value) VALUES (20, 1)")).hasMessageContaining("maxBatchRows");
            s.executeBatch();
        }
        assertThat(t.scalar("SELECT COUNT(*) FROM cpu")).isEqualTo(7L);
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }
}
