package io.ugnos.jdbc.fuzz;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The minimal inputs the fuzz tests found, each once a non-SQLException escaping through JDBC. */
class HostileSqlRegressionTest {
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:ugnos:mem:hostile-regression");
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1.0, 'web-1')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    /**
     * Calcite evaluates the cast of the constant in a static initialiser of the generated class:
     * ExceptionInInitializerError the first time, NoClassDefFoundError each time after (the class is cached).
     */
    @Test
    void aStringThatIsNoTimestampComparedWithTsIsADataError() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> c.createStatement().executeQuery("SELECT host FROM cpu WHERE ts = 'web-1'"))
                    .isInstanceOf(SQLDataException.class)
                    .hasMessage("a constant in the statement cannot be evaluated: Invalid DATE value, 'web-1'");
        }
    }

    @Test
    void theSameThroughAPreparedStatement() {
        assertThatThrownBy(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT host FROM cpu WHERE ts = 'x' AND value > ?")) {
                ps.setDouble(1, 0);
                ps.executeQuery();
            }
        }).isInstanceOf(SQLDataException.class).hasMessageContaining("Invalid DATE value, 'x'");
    }
}
