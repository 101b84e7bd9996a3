package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import io.ugnos.engine.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads the dataset into a second ugnos database the way a JDBC application would: through
 * {@code jdbc:ugnos:<dir>} ({@link io.ugnos.jdbc.Driver}), one {@code PreparedStatement}
 * {@code INSERT INTO "cpu.<metric>" (ts_ns, value, hostname, …) VALUES (?, ?, ?, …)} per metric,
 * {@code addBatch} per row and {@code executeBatch} once per hour of data, then {@code FLUSH} and
 * {@code COMPACT} in SQL. A load-only system: it is timed and sized like the others, but no query
 * runs on it (they run on the database {@link UgnosTarget} loaded with {@code Database.write}).
 *
 * <p>{@code ts_ns} rather than {@code ts} because the generator's timestamps are epoch nanoseconds:
 * binding them as {@code long} stores them exactly as the engine path does.
 */
public final class UgnosJdbcLoad {
    /** The load table's row name. */
    public static final String NAME = "ugnos (JDBC batches)";
    private static final long HOUR = 3_600_000_000_000L;

    /**
     * What the load cost and what it left in the database.
     *
     * @param figures      time and size, as for every system
     * @param storedPoints points in the database's segments after the compaction (equals the
     *                     generated points when nothing was lost or duplicated)
     */
    public record Result(LoadFigures figures, long storedPoints) {
    }

    private UgnosJdbcLoad() {
    }

    /** Loads all of {@code data} into a new database in {@code dir} (an empty directory) and closes it. */
    public static Result load(TsbsDevopsGenerator data, Path dir) throws Exception {
        long t0 = System.nanoTime();
        List<String> metrics = TsbsDevopsGenerator.METRICS;
        List<String> tagKeys = Host.TAG_KEYS;
        List<Host> hosts = data.hosts();
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + dir.toAbsolutePath())) {
            PreparedStatement[] inserts = new PreparedStatement[metrics.size()];
            try {
                for (int m = 0; m < inserts.length; m++) {
                    inserts[m] = c.prepareStatement(insertSql(metrics.get(m), tagKeys));
                }
                long[] currentHour = {Long.MIN_VALUE};
                data.forEachRow((ts, h, values) -> {
                    long hour = Math.floorDiv(ts - data.startEpochNanos(), HOUR);
                    try {
                        if (hour != currentHour[0]) {
                            executeAll(inserts);
                            currentHour[0] = hour;
                        }
                        Host host = hosts.get(h);
                        for (int m = 0; m < inserts.length; m++) {
                            PreparedStatement ps = inserts[m];
                            ps.setLong(1, ts);
                            ps.setDouble(2, values[m]);
                            for (int k = 0; k < tagKeys.size(); k++) {
                                ps.setString(3 + k, host.tags().get(tagKeys.get(k)));
                            }
                            ps.addBatch();
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException("JDBC load failed at ts_ns " + ts + ", host " + h, e);
                    }
                });
                executeAll(inserts);
            } finally {
                for (PreparedStatement ps : inserts) {
                    if (ps != null) {
                        ps.close();
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("FLUSH");
                s.execute("COMPACT");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Database.StorageSummary storage = c.unwrap(Database.class).storage();
            LoadFigures figures = new LoadFigures(seconds, DiskUsage.allocatedBytes(dir), DiskUsage.bytes(dir),
                    data.rows(), data.points(), "JDBC (`jdbc:ugnos:<dir>`), one PreparedStatement INSERT per metric, "
                    + "executeBatch per hour of data, then FLUSH and COMPACT (" + storage.segments()
                    + " segment(s)); load only, no queries run on it");
            return new Result(figures, storage.points());
        }
    }

    /** The INSERT for one metric's series, with {@code ts_ns}, {@code value} and every tag as parameters. */
    static String insertSql(String metric, List<String> tagKeys) {
        return "INSERT INTO \"cpu." + metric + "\" (ts_ns, \"value\", "
                + tagKeys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", ")) + ") VALUES (?, ?"
                + ", ?".repeat(tagKeys.size()) + ")";
    }

    private static void executeAll(PreparedStatement[] inserts) throws SQLException {
        for (PreparedStatement ps : inserts) {
            ps.executeBatch();
        }
    }
}
