package io.ugnos.jdbc.server;

import io.ugnos.jdbc.server.AvaticaWire.Answer;
import io.ugnos.jdbc.server.AvaticaWire.Credentials;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nothing a remote client sends makes the server touch a file outside its data directory: series
 * names never become paths, SQL has no statement or function that reads or writes files, and the
 * properties a client sends cannot point the server at another database.
 */
class HostileInputTest {
    @TempDir
    static Path tmp;
    private static Path data;
    private static UgnosServer server;

    @BeforeAll
    static void serve() throws SQLException {
        data = tmp.resolve("served");
        server = UgnosServer.start(new UgnosServer.Config(data, 0, null, null, null));
    }

    @AfterAll
    static void stop() throws SQLException {
        server.close();
    }

    /** Every file under {@code dir}, relative to it. */
    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void hostileSeriesNamesAreRefusedAndNeverBecomePaths() throws Exception {
        String longName = "a".repeat(300);
        List<String> hostile = List.of("../../etc/passwd", "/abs/path", "..", "a/../../b", "a\\..\\b", "nul\u0000byte",
                "line\nbreak", "~root", longName, "ünïcode", " space");
        Set<String> outsideBefore = files(tmp);
        try (Connection c = DriverManager.getConnection(server.clientUrl()); Statement s = c.createStatement()) {
            for (String name : hostile) {
                String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
                assertThatThrownBy(() -> s.execute("CREATE SERIES " + quoted)).as(name)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("series name", "syntax error"));
                assertThatThrownBy(() -> s.execute("INSERT INTO " + quoted + " (ts_ns, \"value\") VALUES (1, 1.0)")).as(name)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("series name", "syntax error"));
            }
            // what looks like a path in a tag value is plain data
            s.execute("INSERT INTO \"files.t\" (ts_ns, \"value\", path) VALUES (1, 1.0, '../../etc/passwd')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"files.t\" (ts_ns, \"value\", path) VALUES (?, ?, ?)")) {
                ps.setLong(1, 2);
                ps.setDouble(2, 2.0);
                ps.setString(3, "/abs\u0000nul");
                ps.executeUpdate();
            }
            s.execute("FLUSH");
            try (ResultSet rs = s.executeQuery("SELECT path FROM \"files.t\" ORDER BY ts_ns")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("../../etc/passwd");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("/abs\u0000nul");
            }
        }
        // nothing was created next to the data directory, and inside it only the engine's own file names
        Set<String> outsideAfter = files(tmp);
        outsideAfter.removeIf(f -> f.startsWith("served"));
        outsideBefore.removeIf(f -> f.startsWith("served"));
        assertThat(outsideAfter).isEqualTo(outsideBefore);
        for (String f : files(data)) {
            // the engine names files by number (segments, WAL, manifest), never by series
            assertThat(f).as("file in the data directory").matches("[A-Za-z0-9._/-]*");
            assertThat(f).doesNotContain("passwd").doesNotContain("..").doesNotContain("abs");
        }
    }

    @Test
    void sqlHasNoWayToReadOrWriteFiles() throws Exception {
        try (Connection c = DriverManager.getConnection(server.clientUrl()); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "COPY \"files.t\" FROM '/etc/passwd'",
                    "COPY \"files.t\" TO '/tmp/ugnos-out'",
                    "SELECT pg_read_file('/etc/passwd')",
                    "SELECT * FROM TABLE(\"file\"('/etc/passwd'))",
                    "CREATE FOREIGN SCHEMA f OPTIONS (directory '/etc')",
                    "CREATE TABLE t (x INT)",
                    "CREATE FUNCTION f AS 'java.io.File'",
                    "LOAD DATA INFILE '/etc/passwd' INTO TABLE t",
                    "SELECT * FROM \"/etc/passwd\"")) {
                assertThatThrownBy(() -> {
                    try (ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                    }
                }).as(sql).isInstanceOf(SQLException.class).satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
            }
        }
        assertThat(Path.of("/tmp/ugnos-out")).doesNotExist();
    }

    @Test
    void connectionPropertiesFromAClientCannotPointTheServerElsewhere() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere");
        Path model = tmp.resolve("model.json");
        Files.writeString(model, "{\"version\": \"1.0\", \"defaultSchema\": \"x\", \"schemas\": []}");
        AvaticaWire wire = new AvaticaWire(server.port());
        Answer open = wire.send(new Service.OpenConnectionRequest("sneaky", Map.of(
                "url", "jdbc:ugnos:" + elsewhere, "model", model.toString(), "data", elsewhere.toString(),
                "create", "true", "schemaFactory", "org.apache.calcite.adapter.jdbc.JdbcSchema$Factory",
                "user", "root")), Credentials.NONE);
        assertThat(open.status()).isEqualTo(200);
        Answer tables = wire.send(new Service.TablesRequest("sneaky", null, null, "%", null), Credentials.NONE);
        assertThat(tables.status()).isEqualTo(200);
        assertThat(wire.send(new Service.CloseConnectionRequest("sneaky"), Credentials.NONE).status()).isEqualTo(200);
        assertThat(elsewhere).doesNotExist();

        // the JDBC driver refuses embedded options on a remote URL before it sends anything
        for (String property : List.of("durability=none", "create=false", "memtableBytes=1k", "quarantine=true", "retention=1d")) {
            assertThatThrownBy(() -> DriverManager.getConnection(server.clientUrl() + ";" + property))
                    .isInstanceOf(SQLException.class).hasMessageContaining("does not apply to a remote URL");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(server.clientUrl() + ";model=" + model))
                .isInstanceOf(SQLException.class).hasMessageContaining("unknown property 'model'");
    }
}
