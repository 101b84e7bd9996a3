package io.ugnos.jdbc.server;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UgnosServerTest {
    @TempDir
    Path tmp;

    private void writeSample(Path dir) {
        try (Database db = Database.open(dir)) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 60; i++) {
                b.add("cpu.usage_user", TagSet.of("host", i % 3 == 0 ? "db-1" : "web-1"), i * 1_000_000_000L, i * 0.5);
            }
            db.write(b);
        }
    }

    @Test
    void remoteClientsQueryTheServedDatabase() throws Exception {
        Path dir = tmp.resolve("served");
        writeSample(dir);
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, null, null))) {
            assertThat(server.port()).isPositive();
            assertThat(server.clientUrl()).isEqualTo("jdbc:ugnos:remote:url=http://127.0.0.1:" + server.port());
            try (Connection c = DriverManager.getConnection(server.clientUrl())) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("ugnos");
                assertThat(c.isValid(5)).isTrue();
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT host, count(*) AS n, max(\"value\") AS top FROM \"cpu.usage_user\" GROUP BY host ORDER BY host")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("host")).isEqualTo("db-1");
                    assertThat(rs.getLong("n")).isEqualTo(20);
                    assertThat(rs.getDouble("top")).isEqualTo(28.5);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("host")).isEqualTo("web-1");
                    assertThat(rs.getLong("n")).isEqualTo(40);
                    assertThat(rs.getDouble("top")).isEqualTo(29.5);
                    assertThat(rs.next()).isFalse();
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT ts, \"value\" FROM \"cpu.usage_user\" WHERE host = ? ORDER BY ts LIMIT 2")) {
                    ps.setString(1, "db-1");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getTimestamp(1).getTime()).isZero();
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getTimestamp(1).getTime()).isEqualTo(3000);
                        assertThat(rs.getDouble(2)).isEqualTo(1.5);
                    }
                }
                try (ResultSet rs = c.getMetaData().getTables(null, "ugnos", "%", null)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("TABLE_NAME")).isEqualTo("cpu.usage_user");
                }
            }
        }
        // a client whose server is gone learns it from isValid
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, null, null))) {
            Connection c = DriverManager.getConnection(server.clientUrl());
            assertThat(c.isValid(5)).isTrue();
            server.close();
            assertThat(c.isValid(5)).isFalse();
            // Avatica reports that it could not tell the server; the client side is closed all the same
            assertThatThrownBy(c::close).isInstanceOf(SQLException.class);
            assertThat(c.isClosed()).isTrue();
        }
        // the server closed the database with itself
        try (Database db = Database.open(dir)) {
            assertThat(db.series()).containsExactly("cpu.usage_user");
        }
    }

    @Test
    void aMissingServerIsAClearConnectError() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:remote:url=http://127.0.0.1:1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot connect to ugnos server http://127.0.0.1:1");
    }

    @Test
    void withAUsersFileOnlyAuthenticatedClientsGetIn() throws Exception {
        Path dir = tmp.resolve("secured");
        writeSample(dir);
        Path users = tmp.resolve("users.properties");
        Files.writeString(users, "# user: password[,role...]\nalice: s3cret;x\nbob: other,readwrite\n"
                + "reporting: OBF:1yta1j651v8w1v9q1j8x1ytc\n"); // s3cret, obfuscated as docs/operations.md shows
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, "127.0.0.1", users, UgnosServer.Auth.BASIC))) {
            assertThat(post(server.port())).isEqualTo(401);

            assertThatThrownBy(() -> DriverManager.getConnection(server.clientUrl()))
                    .isInstanceOf(SQLException.class).hasMessageContaining("401");
            assertThatThrownBy(() -> DriverManager.getConnection(server.clientUrl(), "alice", "wrong"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("401");

            Properties p = new Properties();
            p.setProperty("user", "alice");
            p.setProperty("password", "s3cret;x");
            try (Connection c = DriverManager.getConnection(server.clientUrl(), p);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM \"cpu.usage_user\"")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(60);
            }
            try (Connection c = DriverManager.getConnection(server.clientUrl() + ";user=bob;password=other")) {
                assertThat(c.isValid(5)).isTrue();
            }
            try (Connection c = DriverManager.getConnection(server.clientUrl(), "reporting", "s3cret")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void digestAuthenticationWorksWithTheSameUsersFile() throws Exception {
        Path dir = tmp.resolve("digest");
        Path users = tmp.resolve("users.properties");
        Files.writeString(users, "carol: pw\n");
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, users, UgnosServer.Auth.DIGEST))) {
            assertThat(post(server.port())).isEqualTo(401);
            try (Connection c = DriverManager.getConnection(server.clientUrl() + ";authentication=digest;user=carol;password=pw")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void aMissingUsersFileIsRefusedBeforeServing() {
        assertThatThrownBy(() -> UgnosServer.start(new UgnosServer.Config(tmp.resolve("d"), 0, null, tmp.resolve("nope"), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("users file");
    }

    /** A bare Avatica request without credentials. */
    private static int post(int port) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        try (OutputStream out = http.getOutputStream()) {
            out.write(new byte[]{0});
        }
        try {
            return http.getResponseCode();
        } finally {
            http.disconnect();
        }
    }
}
