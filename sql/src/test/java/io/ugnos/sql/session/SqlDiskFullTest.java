package io.ugnos.sql.session;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.diskfull.SmallFileSystem;
import io.ugnos.sql.EngineErrors;
import io.ugnos.sql.UgnosSql;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A full disk seen through JDBC: INSERT (a statement, a batch) fails with SQLSTATE 53100 and a
 * message that says the disk is full and what to do; SELECT keeps returning every acknowledged row;
 * FLUSH, COMPACT and CREATE SERIES fail cleanly; after space is freed, INSERT resumes, and after a
 * restart every acknowledged row is there exactly once.
 */
class SqlDiskFullTest {
    static final int ROWS = 500;
    long acked; // rows 1..acked were acknowledged (ts_ns = row number)

    @ParameterizedTest
    @EnumSource(SmallFileSystem.Kind.class)
    void insertFailsWithDiskFullAndResumesWhenSpaceReturns(SmallFileSystem.Kind kind) throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.create(kind, 4 << 20)) {
            DatabaseOptions opts = DatabaseOptions.defaults().withDurability(Durability.FLUSH)
                    .withMemtableBytes(256 << 10).withBackgroundCompaction(false);
            Path dir = fs.root();
            Path ballast = dir.resolveSibling("ballast");
            Path filler = dir.resolveSibling("filler");
            int created = 0;
            try (Database db = Database.open(dir, opts); Connection c = UgnosSql.connect(db)) {
                for (int cycle = 0; cycle < 2; cycle++) {
                    fs.fill(ballast, Math.max(0, fs.free() - (512 << 10)));
                    SQLException full = insertUntilFull(c);
                    assertThat(full.getSQLState()).isEqualTo(EngineErrors.DISK_FULL);
                    assertThat(full.getMessage()).contains("disk full: ").contains("free space").contains(dir.toString());
                    fs.fill(filler, Long.MAX_VALUE);
                    assertAllAcknowledged(c);

                    expectDoneOrDiskFull(c, "FLUSH");
                    expectDoneOrDiskFull(c, "COMPACT");
                    assertAllAcknowledged(c);
                    while (true) {
                        try (Statement s = c.createStatement()) {
                            // long names: each manifest edit takes some 250 bytes, so a few fill its last page
                            s.execute("CREATE SERIES meta_" + cycle + "_" + created + "_" + "x".repeat(230));
                            created++;
                        } catch (SQLException e) {
                            assertThat(e.getSQLState()).isEqualTo(EngineErrors.DISK_FULL);
                            assertThat(e.getMessage()).contains("manifest").contains("free space");
                            break;
                        }
                        if (created > 100_000) {
                            fail("CREATE SERIES never filled the disk");
                        }
                    }

                    Files.delete(filler);
                    Files.delete(ballast);
                    try (Statement s = c.createStatement()) {
                        s.execute("FLUSH");
                    }
                    insertStatement(c); // resumes
                    assertAllAcknowledged(c);
                }
            }
            try (Database db = Database.open(dir, opts); Connection c = UgnosSql.connect(db)) {
                assertAllAcknowledged(c);
            }
        }
    }

    private SQLException insertUntilFull(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cpu (ts_ns, value, host) VALUES (?, ?, ?)")) {
            for (int i = 0; i < 100_000; i++) {
                try {
                    if (i % 2 == 0) {
                        insertStatement(c);
                    } else {
                        for (int r = 1; r <= ROWS; r++) {
                            long ts = acked + r;
                            ps.setLong(1, ts);
                            ps.setDouble(2, value(ts));
                            ps.setString(3, "h" + ts % 3);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        acked += ROWS;
                    }
                } catch (SQLException e) {
                    return e;
                }
            }
        }
        return fail("the disk never filled up");
    }

    /** One INSERT statement of {@link #ROWS} rows. */
    private void insertStatement(Connection c) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO cpu (ts_ns, value, host) VALUES ");
        for (int r = 1; r <= ROWS; r++) {
            long ts = acked + r;
            sql.append(r > 1 ? ", (" : "(").append(ts).append(", ").append(value(ts)).append(", 'h").append(ts % 3).append("')");
        }
        try (Statement s = c.createStatement()) {
            assertThat(s.executeUpdate(sql.toString())).isEqualTo(ROWS);
        }
        acked += ROWS;
    }

    static double value(long ts) {
        long z = ts * 0x9E3779B97F4A7C15L; // incompressible, so that the disk fills with few rows
        return ((z ^ (z >>> 29)) >>> 11) * 0x1.0p-53;
    }

    private static void expectDoneOrDiskFull(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(EngineErrors.DISK_FULL);
        }
    }

    private void assertAllAcknowledged(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT ts_ns), MIN(ts_ns), MAX(ts_ns) FROM cpu")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("rows").isEqualTo(acked);
            assertThat(rs.getLong(2)).as("distinct timestamps").isEqualTo(acked);
            assertThat(rs.getLong(3)).isEqualTo(1);
            assertThat(rs.getLong(4)).isEqualTo(acked);
        }
    }
}
