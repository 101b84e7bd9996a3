package io.ugnos.jdbc.fuzz;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.Arbitraries;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile SQL through the real JDBC driver ({@code jdbc:ugnos:mem:}): random token soup, mutated
 * valid statements (queries, every DDL command, INSERT forms) and prepared statements with
 * parameters of every type. Each input returns or throws an SQLException with a message, within its
 * statement timeout, and leaves the connection usable with the data written before intact.
 *
 * <p>Tries per property come from {@code jqwik.tries.default} (src/test/resources/junit-platform.properties,
 * small for CI); a long run: {@code ./mvnw -o -pl driver -am test -Dtest='HostileSql*'
 * -Dsurefire.failIfNoSpecifiedTests=false -Djqwik.tries.default=20000}.
 */
class HostileSqlPropertiesTest {
    private static final int SENTINEL_POINTS = 50;
    private static Connection c;
    private static JdbcContract contract;

    @BeforeContainer
    static void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:ugnos:mem:hostile-sql");
        contract = new JdbcContract(30_000);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1.0, 'web-1'),"
                    + " (TIMESTAMP '2026-01-01 00:01:00', 2.0, 'web-2'), (TIMESTAMP '2026-01-01 00:02:00', CAST('NaN' AS DOUBLE), 'web-1')");
            s.execute("INSERT INTO \"cpu.usage_user\" (ts, value, host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 91.0, 'web-1')");
        }
        seedSentinel();
    }

    /** Points near now, so that no realistic retention drops them; a series no fuzz input names. */
    private static void seedSentinel() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SERIES IF EXISTS sentinel");
            StringBuilder sql = new StringBuilder("INSERT INTO sentinel (ts_ns, value) VALUES ");
            long now = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < SENTINEL_POINTS; i++) {
                sql.append(i == 0 ? "" : ", ").append('(').append(now - i).append(", ").append(i).append(')');
            }
            s.execute(sql.toString());
        }
    }

    @AfterContainer
    static void close() throws SQLException {
        System.out.println("HostileSqlPropertiesTest: " + contract.summary());
        contract.shutdown();
        c.close();
    }

    @Property
    void tokenSoupReturnsOrThrowsSqlException(@ForAll("soup") String sql) throws SQLException {
        execute(sql);
    }

    @Property
    void mutatedStatementsReturnOrThrowSqlException(@ForAll("mutated") String sql) throws SQLException {
        execute(sql);
    }

    @Property
    void preparedStatementsTakeAnyParameter(@ForAll("prepared") String sql,
                                            @ForAll("parameters") List<Object> values) throws SQLException {
        contract.check(sql + " with " + describe(values), () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setQueryTimeout(5);
                for (int i = 0; i < values.size(); i++) {
                    try {
                        ps.setObject(i + 1, values.get(i));
                    } catch (SQLException e) {
                        // a refused value is fine, when the refusal says why
                        JdbcContract.requireUsefulMessage(e, "setObject " + describe(values.get(i)));
                    }
                }
                boolean rows = ps.execute();
                if (rows) {
                    drain(ps.getResultSet());
                }
                ps.addBatch();
                ps.executeBatch();
            }
        }, () -> { });
        checkConnection(sql);
    }

    @Provide
    Arbitrary<String> soup() {
        return HostileSql.tokenSoup();
    }

    @Provide
    Arbitrary<String> mutated() {
        return HostileSql.mutatedStatement();
    }

    @Provide
    Arbitrary<String> prepared() {
        return Arbitraries.of(HostileSql.PREPARED);
    }

    @Provide
    Arbitrary<List<Object>> parameters() {
        return HostileSql.parameterValue().list().ofMaxSize(6);
    }

    private static void execute(String sql) throws SQLException {
        Statement[] holder = new Statement[1];
        contract.check(sql, () -> {
            try (Statement s = c.createStatement()) {
                holder[0] = s;
                s.setQueryTimeout(5);
                if (s.execute(sql)) {
                    drain(s.getResultSet());
                }
            }
        }, () -> holder[0].cancel());
        checkConnection(sql);
    }

    private static void drain(ResultSet rs) throws SQLException {
        try (rs) {
            int columns = rs.getMetaData().getColumnCount();
            for (int n = 0; n < 10_000 && rs.next(); n++) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                    rs.getString(i);
                }
            }
        }
    }

    /** The connection still answers, and the sentinel series is intact (reseeded after a database retention change). */
    private static void checkConnection(String sql) throws SQLException {
        assertThat(c.isClosed()).as("connection closed by: %s", sql).isFalse();
        String upper = sql.toUpperCase(Locale.ROOT);
        if (upper.contains("DATABASE") && upper.contains("RETENTION")) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE SET RETENTION NONE");
            }
            seedSentinel();
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(value) FROM sentinel")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("sentinel points after: %s", JdbcContract.printable(sql)).isEqualTo(SENTINEL_POINTS);
            assertThat(rs.getDouble(2)).isEqualTo(SENTINEL_POINTS * (SENTINEL_POINTS - 1) / 2.0);
        }
    }

    private static String describe(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(HostileSqlPropertiesTest::describe).toList().toString();
        }
        if (o == null) {
            return "null";
        }
        String s = String.valueOf(o);
        return o.getClass().getSimpleName() + ":" + (s.length() > 40 ? s.substring(0, 40) + "…" : s);
    }
}
