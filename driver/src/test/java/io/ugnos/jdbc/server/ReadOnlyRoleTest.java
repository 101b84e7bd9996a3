package io.ugnos.jdbc.server;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.jdbc.server.AvaticaWire.Answer;
import io.ugnos.jdbc.server.AvaticaWire.Credentials;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A read-only user's connections query but never write, whatever the client asks for; users reach only their own sessions. */
class ReadOnlyRoleTest {
    private static final String SERIES = "\"cpu.usage_user\"";

    @TempDir
    static Path tmp;
    private static UgnosServer server;

    @BeforeAll
    static void serve() throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir)) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 10; i++) {
                b.add("cpu.usage_user", TagSet.of("host", "web-1"), i * 1_000_000_000L, i);
            }
            db.write(b);
        }
        Path users = tmp.resolve("users.properties");
        Files.writeString(users, "alice: a-pw,readwrite\nbob: b-pw,readonly\ncarol: c-pw\n");
        server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, users, null));
    }

    @AfterAll
    static void stop() throws SQLException {
        server.close();
    }

    private static Connection connect(String user, String password, String extra) throws SQLException {
        return DriverManager.getConnection(server.clientUrl() + extra, user, password);
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SERIES + " WHERE host = 'web-1'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aReadOnlyUserQueriesButEveryWriteAndDdlIsRefused() throws Exception {
        try (Connection bob = connect("bob", "b-pw", ""); Statement s = bob.createStatement()) {
            assertThat(bob.isReadOnly()).isTrue();
            assertThat(count(bob)).isEqualTo(10);
            try (ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR SELECT max(\"value\") FROM " + SERIES)) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs = s.executeQuery("SHOW SERIES")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("cpu.usage_user");
            }
            for (String write : List.of(
                    "INSERT INTO " + SERIES + " (ts, \"value\", host) VALUES (TIMESTAMP '2030-01-01 00:00:00', 1.0, 'x')",
                    "INSERT INTO " + SERIES + " (ts_ns, \"value\", host) SELECT ts_ns + 1, \"value\", host FROM " + SERIES,
                    "CREATE SERIES \"new.series\"",
                    "DROP SERIES " + SERIES,
                    "ALTER SERIES " + SERIES + " SET RETENTION '1d'",
                    "ALTER DATABASE SET RETENTION '1d'",
                    "DELETE FROM " + SERIES + " WHERE ts < TIMESTAMP '2030-01-01 00:00:00'",
                    "COMPACT",
                    "FLUSH")) {
                assertThatThrownBy(() -> s.execute(write)).as(write)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("read-only")
                        .hasMessageContaining("user 'bob' has role readonly")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            }
            try (PreparedStatement ps = bob.prepareStatement("INSERT INTO " + SERIES + " (ts_ns, \"value\", host) VALUES (?, ?, ?)")) {
                ps.setLong(1, 1);
                ps.setDouble(2, 1);
                ps.setString(3, "x");
                assertThatThrownBy(ps::executeUpdate).hasMessageContaining("user 'bob' has role readonly");
                ps.addBatch();
                assertThatThrownBy(ps::executeBatch).hasMessageContaining("read-only");
            }
            s.addBatch("FLUSH");
            assertThatThrownBy(s::executeBatch).hasMessageContaining("read-only");
        }
        try (Connection alice = connect("alice", "a-pw", "")) {
            assertThat(count(alice)).isEqualTo(10);
        }
    }

    @Test
    void aReadOnlyUserCannotBecomeReadWrite() throws Exception {
        try (Connection bob = connect("bob", "b-pw", ";readOnly=false")) {
            assertThat(bob.isReadOnly()).isTrue();
            // Avatica's client sends the change with the next request: that request fails, and so does every later one
            assertThatThrownBy(() -> {
                bob.setReadOnly(false);
                bob.isReadOnly();
            }).isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot make the connection writable").hasMessageContaining("user 'bob' has role readonly")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            assertThatThrownBy(() -> {
                try (Statement s = bob.createStatement()) {
                    s.execute("INSERT INTO " + SERIES + " (ts_ns, \"value\", host) VALUES (1, 1.0, 'escalated')");
                }
            }).hasMessageContaining("user 'bob' has role readonly");
        }
        try (Connection bob = connect("bob", "b-pw", ";readOnly=false"); Statement s = bob.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO " + SERIES + " (ts_ns, \"value\", host) VALUES (1, 1.0, 'escalated')"))
                    .hasMessageContaining("user 'bob' has role readonly");
            assertThat(count(bob)).isEqualTo(10);
        }
    }

    @Test
    void readWriteUsersWriteAndAUserWithoutARoleIsReadWrite() throws Exception {
        try (Connection alice = connect("alice", "a-pw", ""); Statement s = alice.createStatement()) {
            assertThat(alice.isReadOnly()).isFalse();
            assertThat(s.executeUpdate("INSERT INTO \"rw.alice\" (ts_ns, \"value\") VALUES (1, 1.0)")).isEqualTo(1);
            // the client may still ask for read-only for itself
            alice.setReadOnly(true);
            assertThatThrownBy(() -> s.execute("FLUSH")).hasMessageContaining("read-only");
            alice.setReadOnly(false);
            s.execute("FLUSH");
        }
        try (Connection carol = connect("carol", "c-pw", ""); Statement s = carol.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO \"rw.carol\" (ts_ns, \"value\") VALUES (1, 1.0)")).isEqualTo(1);
        }
    }

    @Test
    void aUserCannotUseAnotherUsersConnectionOrStatement() throws Exception {
        AvaticaWire wire = new AvaticaWire(server.port());
        Credentials alice = Credentials.basic("alice", "a-pw");
        Credentials bob = Credentials.basic("bob", "b-pw");
        assertThat(wire.send(new Service.OpenConnectionRequest("alice-1", Map.of()), alice).status()).isEqualTo(200);
        assertThat(wire.send(new Service.OpenConnectionRequest("bob-1", Map.of()), bob).status()).isEqualTo(200);
        Answer prepared = wire.send(new Service.PrepareRequest("alice-1",
                "INSERT INTO " + SERIES + " (ts_ns, \"value\", host) VALUES (?, ?, 'hijack')", -1), alice);
        Meta.StatementHandle insert = ((Service.PrepareResponse) prepared.response()).statement;
        List<TypedValue> values = List.of(TypedValue.ofLocal(ColumnMetaData.Rep.LONG, 5L), TypedValue.ofLocal(ColumnMetaData.Rep.DOUBLE, 5.0));

        // bob on alice's connection: refused, whatever the request
        for (Service.Request r : List.of(new Service.ExecuteRequest(insert, values, 10),
                new Service.CreateStatementRequest("alice-1"),
                new Service.PrepareRequest("alice-1", "FLUSH", -1),
                new Service.ConnectionSyncRequest("alice-1", new org.apache.calcite.avatica.ConnectionPropertiesImpl().setReadOnly(false)),
                new Service.CloseStatementRequest("alice-1", insert.id),
                new Service.CloseConnectionRequest("alice-1"),
                new Service.OpenConnectionRequest("alice-1", Map.of()))) {
            Answer a = wire.send(r, bob);
            assertThat(a.status()).as(r.getClass().getSimpleName()).isEqualTo(500);
            assertThat(((Service.ErrorResponse) a.response()).sqlState).isEqualTo(SessionGuard.SQL_STATE_NO_PRIVILEGE);
        }
        // bob naming his own connection with alice's statement id: refused too
        for (Service.Request r : List.of(
                new Service.ExecuteRequest(new Meta.StatementHandle("bob-1", insert.id, insert.signature), values, 10),
                new Service.ExecuteBatchRequest("bob-1", insert.id, List.of(values)),
                new Service.FetchRequest("bob-1", insert.id, 0, 10),
                new Service.PrepareAndExecuteRequest("bob-1", insert.id, "FLUSH", -1),
                new Service.CloseStatementRequest("bob-1", insert.id))) {
            Answer a = wire.send(r, bob);
            assertThat(a.status()).as(r.getClass().getSimpleName()).isEqualTo(500);
            assertThat(((Service.ErrorResponse) a.response()).errorMessage).contains("does not belong to connection bob-1");
        }
        try (Connection c = connect("alice", "a-pw", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SERIES + " WHERE host = 'hijack'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        // alice's statement and connection still work for alice
        assertThat(wire.send(new Service.ExecuteRequest(insert, values, 10), alice).status()).isEqualTo(200);
        assertThat(wire.send(new Service.CloseConnectionRequest("alice-1"), alice).status()).isEqualTo(200);
        assertThat(wire.send(new Service.CloseConnectionRequest("bob-1"), bob).status()).isEqualTo(200);
    }

    @Test
    void anUnknownRoleOrTwoRolesFailTheStart() throws Exception {
        Path users = tmp.resolve("bad-users.properties");
        Files.writeString(users, "dave: pw,read-only\n");
        assertThatThrownBy(() -> UgnosServer.start(new UgnosServer.Config(tmp.resolve("other"), 0, null, users, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user 'dave' has unknown role 'read-only'").hasMessageContaining("readonly, readwrite");
        Files.writeString(users, "dave: pw,readonly,readwrite\n");
        assertThatThrownBy(() -> UgnosServer.start(new UgnosServer.Config(tmp.resolve("other"), 0, null, users, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two roles");
        assertThat(UsersFile.load(writeUsers("erin: pw\nfrank: pw, READONLY\n")).roles())
                .isEqualTo(Map.of("erin", Role.READ_WRITE, "frank", Role.READ_ONLY));
    }

    private static Path writeUsers(String text) throws Exception {
        Path p = Files.createTempFile(tmp, "users", ".properties");
        Files.writeString(p, text);
        return p;
    }
}
