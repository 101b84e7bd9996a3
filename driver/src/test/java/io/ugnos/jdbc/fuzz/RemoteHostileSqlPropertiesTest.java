package io.ugnos.jdbc.fuzz;

import io.ugnos.jdbc.server.UgnosServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile SQL through the Avatica server ({@code jdbc:ugnos:remote:}): what fails on the server
 * arrives at the client as an SQLException with the server's message, and the session survives.
 */
class RemoteHostileSqlPropertiesTest {
    private static Path dir;
    private static UgnosServer server;
    private static Connection c;
    private static JdbcContract contract;

    @BeforeContainer
    static void start() throws IOException, SQLException {
        dir = Files.createTempDirectory("hostile-remote");
        server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, null, null));
        c = DriverManager.getConnection(server.clientUrl());
        contract = new JdbcContract(30_000);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1.0, 'web-1'),"
                    + " (TIMESTAMP '2026-01-01 00:01:00', 2.0, 'web-2')");
        }
        seedSentinel();
    }

    /**
     * Three points just before now, in a series no fuzz input names: no realistic retention drops
     * them, and a retention statement's effect is undone after it (see the property).
     */
    private static void seedSentinel() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SERIES IF EXISTS sentinel");
            long now = System.currentTimeMillis() * 1_000_000L;
            s.execute("INSERT INTO sentinel (ts_ns, value) VALUES (" + now + ", 1), (" + (now - 1) + ", 2), ("
                    + (now - 2) + ", 3)");
        }
    }

    @AfterContainer
    static void stop() throws SQLException, IOException {
        System.out.println("RemoteHostileSqlPropertiesTest: " + contract.summary());
        contract.shutdown();
        c.close();
        server.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(HostileSql.tokenSoup(), HostileSql.mutatedStatement());
    }

    @Property
    void remoteStatementsReturnOrThrowSqlException(@ForAll("hostile") String sql) throws SQLException {
        Statement[] holder = new Statement[1];
        contract.check(sql, () -> {
            try (Statement s = c.createStatement()) {
                holder[0] = s;
                s.setQueryTimeout(5);
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        for (int n = 0; n < 1_000 && rs.next(); n++) {
                            rs.getObject(1);
                        }
                    }
                }
            }
        }, () -> holder[0].cancel());
        if (sql.toUpperCase(java.util.Locale.ROOT).contains("RETENTION")) {
            // a database retention set by the input would hide the sentinel from every later check
            try (Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE SET RETENTION NONE");
            }
            seedSentinel();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(value) FROM sentinel")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("sentinel after %s", sql).isEqualTo(3);
            assertThat(rs.getDouble(2)).isEqualTo(6.0);
        }
    }
}
