package io.ugnos.sql.session;

import io.ugnos.engine.Database;
import io.ugnos.sql.SqlTestDb;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.LocalProtobufService;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.AvaticaConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DDL, SHOW results and batched INSERTs through Avatica's remote JDBC stack in one process: the
 * client driver, protobuf serialisation and JdbcMeta (the server side) over a UgnosConnection.
 */
class RemoteJdbcTest {
    private static SqlTestDb t;
    private static Database shared;
    private static Driver local;

    /** Serves {@code jdbc:ugnos-test:} with connections over the test database, as the real driver would. */
    public static final class TestDriver implements Driver {
        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            return acceptsURL(url) ? io.ugnos.sql.UgnosSql.connect(shared) : null;
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:ugnos-test:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 0;
        }

        @Override
        public int getMinorVersion() {
            return 1;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }

    /** Avatica's client asks this factory for its service: JdbcMeta behind protobuf, no HTTP. */
    public static final class InProcess implements Service.Factory {
        @Override
        public Service create(AvaticaConnection connection) {
            try {
                return new LocalProtobufService(new LocalService(new JdbcMeta("jdbc:ugnos-test:")), new ProtobufTranslationImpl());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    static void open() throws Exception {
        t = new SqlTestDb();
        shared = t.db();
        local = new TestDriver();
        DriverManager.registerDriver(local);
    }

    @AfterAll
    static void close() throws Exception {
        DriverManager.deregisterDriver(local);
        t.close();
    }

    private static Connection remote() throws SQLException {
        return DriverManager.getConnection("jdbc:avatica:remote:factory=" + InProcess.class.getName() + ";serialization=protobuf");
    }

    @Test
    void ddlShowAndBatchedInsertWorkThroughJdbcMeta() throws Exception {
        try (Connection c = remote(); Statement s = c.createStatement()) {
            assertThat(s.execute("CREATE SERIES IF NOT EXISTS \"r.cpu\" WITH (retention = NONE)")).isFalse();
            assertThat(s.getUpdateCount()).isZero();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"r.cpu\" (ts_ns, value, host) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 100; i++) {
                    ps.setLong(1, i);
                    ps.setDouble(2, i);
                    ps.setString(3, "h" + (i % 3));
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(100).containsOnly(1);
            }
            assertThat(s.execute("SHOW SERIES")).isTrue();
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.getResultSet()) {
                assertThat(rs.getMetaData().getColumnName(1)).isEqualTo("name");
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            assertThat(names).contains("r.cpu");
            try (ResultSet rs = s.executeQuery("SHOW STATS")) {
                long points = -1;
                while (rs.next()) {
                    if (rs.getString("name").equals("points_written")) {
                        points = rs.getLong("value");
                    }
                }
                assertThat(points).isGreaterThanOrEqualTo(100);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(value) FROM \"r.cpu\"")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(100);
                assertThat(rs.getDouble(2)).isEqualTo(4950.0);
            }
            assertThatThrownBy(() -> s.execute("DROP SERIES nope")).isInstanceOf(SQLException.class).hasMessageContaining("series nope does not exist");
        }
    }
}
