package io.ugnos.bench.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Plans and runs SQL over a JDBC connection, timing {@code prepareStatement} apart from execution. */
final class JdbcRun {
    private JdbcRun() {
    }

    static Execution execute(Connection c, String sql, boolean keepRows) throws SQLException {
        long t0 = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long t1 = System.nanoTime();
            long[] count = new long[1];
            List<List<Object>> rows;
            try (ResultSet rs = ps.executeQuery()) {
                rows = ResultRows.read(rs, keepRows, count);
            }
            long t2 = System.nanoTime();
            return new Execution(t1 - t0, t2 - t1, count[0], rows);
        }
    }
}
