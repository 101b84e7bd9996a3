package io.ugnos.jdbc;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DriverTest {
    @TempDir
    Path tmp;

    static void writeCpu(Database db, int points) {
        WriteBatch b = new WriteBatch();
        for (int i = 0; i < points; i++) {
            b.add("cpu.usage_user", TagSet.of("host", i % 2 == 0 ? "web-1" : "web-2"), i * 1_000_000_000L, i);
        }
        db.write(b);
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void driverManagerFindsTheDriverThroughTheServiceFile() throws SQLException {
        assertThat(DriverManager.getDriver("jdbc:ugnos:mem:x")).isInstanceOf(Driver.class);
        assertThat(new Driver().acceptsURL("jdbc:postgresql://x")).isFalse();
        assertThat(new Driver().connect("jdbc:postgresql://x", new Properties())).isNull();
    }

    @Test
    void embeddedUrlCreatesTheDatabaseAndQueriesIt() throws SQLException {
        Path dir = tmp.resolve("db");
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + dir)) {
            writeCpu(c.unwrap(Database.class), 10);
            assertThat(count(c, "SELECT count(*) FROM \"cpu.usage_user\" WHERE host = 'web-1'")).isEqualTo(5);
        }
        assertThat(Files.exists(dir.resolve("CURRENT"))).isTrue();
        // the connection closed the database: the engine can open the directory again
        try (Database db = Database.open(dir)) {
            assertThat(db.series()).containsExactly("cpu.usage_user");
        }
    }

    @Test
    void createFalseOnAMissingDirectoryIsAClearError() {
        Path dir = tmp.resolve("missing");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:" + dir + ";create=false"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot open ugnos database " + dir)
                .hasMessageContaining("no database");
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void connectionsToOneDirectoryShareOneDatabaseClosedWithTheLast() throws SQLException {
        Path dir = tmp.resolve("shared");
        int before = SharedDatabases.INSTANCE.openCount();
        Connection a = DriverManager.getConnection("jdbc:ugnos:" + dir);
        // another spelling of the same directory
        Connection b = DriverManager.getConnection("jdbc:ugnos:" + dir.resolve("..").resolve("shared"));
        assertThat(a.unwrap(Database.class)).isSameAs(b.unwrap(Database.class));
        assertThat(SharedDatabases.INSTANCE.openCount()).isEqualTo(before + 1);
        writeCpu(a.unwrap(Database.class), 4);
        a.close();
        a.close(); // a second close releases nothing more
        assertThat(count(b, "SELECT count(*) FROM \"cpu.usage_user\"")).isEqualTo(4);
        assertThat(SharedDatabases.INSTANCE.openCount()).isEqualTo(before + 1);
        b.close();
        assertThat(SharedDatabases.INSTANCE.openCount()).isEqualTo(before);
    }

    @Test
    void memoryDatabasesAreSharedByNameAndGoneAfterTheLastClose() throws SQLException {
        try (Connection a = DriverManager.getConnection("jdbc:ugnos:mem:shared-test");
             Connection b = DriverManager.getConnection("jdbc:ugnos:mem:shared-test");
             Connection other = DriverManager.getConnection("jdbc:ugnos:mem:other-test")) {
            writeCpu(a.unwrap(Database.class), 6);
            assertThat(count(b, "SELECT count(*) FROM \"cpu.usage_user\"")).isEqualTo(6);
            assertThat(other.unwrap(Database.class).series()).isEmpty();
            assertThat(a.unwrap(Database.class).directory().getFileSystem()).isNotEqualTo(tmp.getFileSystem());
        }
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:mem:shared-test")) {
            assertThat(c.unwrap(Database.class).series()).isEmpty();
        }
    }

    @Test
    void urlAndPropertiesSetEngineOptions() throws SQLException {
        Properties p = new Properties();
        p.setProperty("memtableSize", "2m");
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + tmp.resolve("o") + ";durability=SYNC;retention=30d", p)) {
            Database db = c.unwrap(Database.class);
            assertThat(db.options().durability()).isEqualTo(Durability.SYNC);
            assertThat(db.options().memtableBytes()).isEqualTo(2L << 20);
            assertThat(db.databaseTtlNanos()).isEqualTo(Duration.ofDays(30).toNanos());
            // a second connection may not silently ask for other engine options
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:" + tmp.resolve("o") + ";durability=none"))
                    .hasMessageContaining("already open in this JVM with durability=sync");
            try (Connection same = DriverManager.getConnection("jdbc:ugnos:" + tmp.resolve("o") + ";durability=sync;retention=none")) {
                assertThat(same.unwrap(Database.class).databaseTtlNanos()).isZero();
            }
        }
    }

    @Test
    void readOnlyIsSetOnTheConnection() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:mem:ro;readOnly=true");
             Connection w = DriverManager.getConnection("jdbc:ugnos:mem:ro")) {
            assertThat(c.isReadOnly()).isTrue();
            assertThat(w.isReadOnly()).isFalse();
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:ro2;readOnly=true;retention=1d"))
                .hasMessageContaining("readOnly");
    }

    @Test
    void ddlAndInsertGoThroughTheDriverAndReadOnlyConnectionsRefuseThem() throws SQLException {
        try (Connection w = DriverManager.getConnection("jdbc:ugnos:mem:writes");
             Connection r = DriverManager.getConnection("jdbc:ugnos:mem:writes;readOnly=true")) {
            try (Statement s = w.createStatement()) {
                s.execute("CREATE SERIES \"cpu.usage_user\"");
                s.executeUpdate("INSERT INTO \"cpu.usage_user\" (ts, \"value\", host) VALUES (TIMESTAMP '2026-01-01 00:00:00', 1.5, 'web-1')");
            }
            try (java.sql.PreparedStatement ps = w.prepareStatement("INSERT INTO \"cpu.usage_user\" (ts, \"value\", host) VALUES (?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
                    ps.setDouble(2, i);
                    ps.setString(3, "web-2");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            assertThat(count(r, "SELECT count(*) FROM \"cpu.usage_user\"")).isEqualTo(4);
            try (Statement s = r.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO \"cpu.usage_user\" (ts, \"value\") VALUES (TIMESTAMP '2026-01-02 00:00:00', 9)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("readOnly");
            }
            assertThat(count(w, "SELECT count(*) FROM \"cpu.usage_user\"")).isEqualTo(4);
        }
    }

    @Test
    void unknownPropertiesAndMalformedUrlsListWhatIsAccepted() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:x;durabilty=sync"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("unknown property 'durabilty'")
                .hasMessageContaining("a memory URL accepts: durability, memtableBytes, retention, maxStatementBytes, maxOpenStatements, maxBatchRows, readOnly, user, password");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:x;sync"))
                .hasMessageContaining("malformed property 'sync'").hasMessageContaining("name=value");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:x;durability=fast"))
                .hasMessageContaining("durability='fast' is not one of [sync, flush, none]");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:x;memtableBytes=lots"))
                .hasMessageContaining("not a positive size");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:x;retention=forever"))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:"))
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:"))
                .hasMessageContaining("names no database directory");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:remote:host=x"))
                .hasMessageContaining("unknown property 'host'");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:remote:url=http://127.0.0.1:1;durability=sync"))
                .hasMessageContaining("does not apply to a remote URL");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:mem:x;url=http://h"))
                .hasMessageContaining("does not apply to a memory URL");
    }

    @Test
    void quarantineTrueOpensADatabaseWithACorruptSegmentAndServesTheRest() throws Exception {
        Path dir = tmp.resolve("damaged");
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false))) {
            writeCpu(db, 10);
            db.flush();
            writeCpu(db, 4); // timestamps 0..3 s again: the second segment overwrites them
            db.flush();
        }
        Path first;
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve(Database.SEGMENTS_DIR))) {
            first = s.sorted().findFirst().orElseThrow();
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(first.toFile(), "rw")) {
            f.seek(f.length() - 2); // in the footer's magic number
            int b = f.read();
            f.seek(f.length() - 2);
            f.write(b ^ 0x01);
        }
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:" + dir))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("quarantine=true");
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + dir + ";quarantine=true")) {
            assertThat(c.unwrap(Database.class).stats().get("segments_quarantined")).isEqualTo(1);
            assertThat(count(c, "SELECT count(*) FROM \"cpu.usage_user\"")).isEqualTo(4);
        }
        assertThat(dir.resolve(Database.QUARANTINE_DIR).resolve(first.getFileName())).exists();
    }

    @Test
    void propertyInfoDescribesEveryAcceptedProperty() {
        DriverPropertyInfo[] embedded = new Driver().getPropertyInfo("jdbc:ugnos:/tmp/x", new Properties());
        assertThat(Arrays.stream(embedded).map(i -> i.name))
                .containsExactly("create", "durability", "memtableBytes", "retention", "quarantine", "maxStatementBytes", "maxOpenStatements", "maxBatchRows", "readOnly", "user", "password");
        DriverPropertyInfo durability = embedded[1];
        assertThat(durability.value).isEqualTo("flush");
        assertThat(durability.choices).containsExactly("sync", "flush", "none");
        assertThat(durability.description).contains("power loss");
        DriverPropertyInfo[] remote = new Driver().getPropertyInfo("jdbc:ugnos:remote:url=http://h:1", new Properties());
        assertThat(Arrays.stream(remote).map(i -> i.name))
                .containsExactly("readOnly", "url", "authentication", "truststore", "truststore_password", "hostname_verification",
                        "user", "password");
        assertThat(Arrays.stream(remote).filter(i -> i.required).map(i -> i.name)).containsExactly("url");
    }

    @Test
    void isValidAndMetaDataConnectionAreTheWrapper() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:ugnos:mem:valid");
        assertThat(c.isValid(1)).isTrue();
        assertThat(c.getMetaData().getConnection()).isSameAs(c);
        assertThat(c.getMetaData().getURL()).isEqualTo("jdbc:ugnos:mem:valid");
        c.close();
        assertThat(c.isValid(1)).isFalse();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(c::createStatement).hasMessageContaining("closed");
        assertThatThrownBy(() -> c.unwrap(Database.class)).hasMessageContaining("closed");
    }

    @Test
    void aDatabaseLockedByAnotherOpenerIsAClearError() {
        Path dir = tmp.resolve("locked");
        try (Database other = Database.open(dir, DatabaseOptions.defaults())) {
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:ugnos:" + dir))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("cannot open ugnos database")
                    .hasMessageContaining("locked");
        }
    }
}
