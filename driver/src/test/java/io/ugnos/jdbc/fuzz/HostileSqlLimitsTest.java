package io.ugnos.jdbc.fuzz;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statements built to exhaust the parser and planner: deep nesting and very long boolean chains.
 * Each gives a result or an SQLException (a stack overflow becomes "statement too complex"), and
 * the connection keeps working.
 */
class HostileSqlLimitsTest {
    private static Connection c;
    private static final JdbcContract contract = new JdbcContract(120_000);

    @BeforeAll
    static void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:ugnos:mem:hostile-limits");
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1.0, 'web-1'),"
                    + " (TIMESTAMP '2026-01-01 00:01:00', 2.0, 'web-2')");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        System.out.println("HostileSqlLimitsTest: " + contract.summary());
        contract.shutdown();
        c.close();
    }

    private static SQLException run(String sql) throws SQLException {
        SQLException e = contract.check(sql, () -> {
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(30);
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                }
            }
        }, () -> { });
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cpu")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
        return e;
    }

    @Test
    void tenThousandNestedParenthesesGiveAnSqlException() throws SQLException {
        SQLException e = run("SELECT " + "(".repeat(10_000) + "value" + ")".repeat(10_000) + " FROM cpu");
        assertThat((Object) e).isNotNull();
    }

    @Test
    void nestedParenthesesInAWhereClause() throws SQLException {
        run("SELECT ts FROM cpu WHERE " + "(".repeat(10_000) + "value > 0" + ")".repeat(10_000));
    }

    @Test
    void deepSubqueryNesting() throws SQLException {
        int depth = 2_000;
        String sql = "SELECT value FROM (".repeat(depth) + "SELECT value FROM cpu" + ") t".repeat(depth);
        run(sql);
    }

    /**
     * Calcite's parser is quadratic in an OR chain (8,000 terms: seconds; 100,000: tens of minutes);
     * a chain over the limit is refused before parsing, and a chain too long for the statement size
     * limit is refused by that limit first.
     */
    @Test
    void longOrChainsAreRefusedAtOnce() throws SQLException {
        String where = IntStream.range(0, 5_000).mapToObj(i -> "host = 'h" + i + "'").collect(Collectors.joining(" OR "));
        long start = System.nanoTime();
        SQLException e = run("SELECT COUNT(*) FROM cpu WHERE " + where);
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        assertThat((Object) e).isNotNull();
        assertThat(e.getMessage()).startsWith("statement too complex: 4999 AND/OR operators");
        assertThat(e.getSQLState()).isEqualTo("54001");
        SQLException prepared = contract.check("prepare", () -> c.prepareStatement("SELECT 1 FROM cpu WHERE " + where), () -> { });
        assertThat((Throwable) prepared).hasMessageStartingWith("statement too complex");

        String huge = IntStream.range(0, 100_000).mapToObj(i -> "host = 'h" + i + "'").collect(Collectors.joining(" OR "));
        start = System.nanoTime();
        SQLException tooBig = run("SELECT COUNT(*) FROM cpu WHERE " + huge);
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        assertThat((Object) tooBig).isNotNull();
        assertThat(tooBig.getMessage()).contains("bytes of SQL text, over the limit of 1,048,576");
        assertThat(tooBig.getSQLState()).isEqualTo("54000");
    }

    /** A backslash-escaped quote in an {@code E'...'} string must not hide the rest of the statement from the count. */
    @Test
    void anEscapeStringDoesNotHideALongOrChain() throws SQLException {
        String where = IntStream.range(0, 4_000).mapToObj(i -> "host = 'h" + i + "'").collect(Collectors.joining(" OR "));
        SQLException e = run("SELECT COUNT(*) FROM cpu WHERE host = E'\\'' OR " + where);
        assertThat((Object) e).isNotNull();
        assertThat(e.getMessage()).startsWith("statement too complex: 4000 AND/OR operators");
        assertThat(e.getSQLState()).isEqualTo("54001");
    }

    @Test
    void aLongOrChainOnTheValueIsAccepted() throws SQLException {
        String where = IntStream.range(0, 50).mapToObj(i -> "value = " + i).collect(Collectors.joining(" OR "));
        run("SELECT COUNT(*) FROM cpu WHERE " + where);
    }

    @Test
    void deepArithmetic() throws SQLException {
        run("SELECT " + "1 + ".repeat(10_000) + "value FROM cpu");
    }

    @Test
    void deepNestingInADelete() throws SQLException {
        run("DELETE FROM cpu WHERE " + "(".repeat(10_000) + "ts < TIMESTAMP '2000-01-01 00:00:00'" + ")".repeat(10_000));
    }

    @Test
    void deepNestingInAnInsertValue() throws SQLException {
        run("INSERT INTO fz (ts_ns, value) VALUES (1, " + "(".repeat(10_000) + "1" + ")".repeat(10_000) + ")");
    }

    @Test
    void manyInsertRows() throws SQLException {
        run("INSERT INTO fz (ts_ns, value) VALUES " + IntStream.range(0, 20_000).mapToObj(i -> "(" + i + ", 1)")
                .collect(Collectors.joining(", ")));
    }
}
