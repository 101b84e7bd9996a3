package io.ugnos.jdbc;

import io.ugnos.sql.session.SessionLimits;
import io.ugnos.sql.session.UgnosConnection;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** maxStatementBytes, maxOpenStatements and maxBatchRows reach the connection from the URL. */
class SessionLimitPropertiesTest {
    @Test
    void theUrlSetsTheConnectionsLimits() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:mem:limits;maxStatementBytes=1k;maxOpenStatements=2;maxBatchRows=5")) {
            assertThat(c.unwrap(UgnosConnection.class).limits()).isEqualTo(new SessionLimits(1024, 2, 5));
            try (Statement a = c.createStatement(); Statement b = c.createStatement()) {
                assertThatThrownBy(c::createStatement).hasMessageContaining("maxOpenStatements")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("54000"));
                assertThatThrownBy(() -> a.execute("SELECT 1 /*" + "x".repeat(1024) + "*/")).hasMessageContaining("over the limit of 1,024");
                assertThat(b.executeQuery("SELECT 1").next()).isTrue();
            }
            c.createStatement().close(); // the slots were freed
        }
    }

    @Test
    void theDefaultsApplyWithoutProperties() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:mem:limits-default")) {
            assertThat(c.unwrap(UgnosConnection.class).limits()).isEqualTo(SessionLimits.DEFAULTS);
        }
    }

    @Test
    void aBadLimitIsRefusedAtConnect() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:limits-bad;maxOpenStatements=0"))
                .isInstanceOf(SQLException.class).hasMessageContaining("maxOpenStatements='0' is not a positive whole number");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:limits-bad;maxStatementBytes=lots"))
                .isInstanceOf(SQLException.class).hasMessageContaining("maxStatementBytes='lots' is not a positive size");
    }
}
