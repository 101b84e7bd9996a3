package io.ugnos.jdbc.example;

import io.ugnos.engine.Database;
import io.ugnos.engine.example.SampleData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The tour of ugnos through JDBC: writes CPU and memory series for four hosts into a new on-disk
 * database, then connects with {@code jdbc:ugnos:<dir>} and prints what SQL sees.
 *
 * <pre>java io.ugnos.jdbc.example.Example [directory]</pre>
 */
public final class Example {
    private Example() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("ugnos-example");
        System.out.println("ugnos example: database in " + dir.toAbsolutePath());
        writeSampleData(dir);

        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + dir.toAbsolutePath())) {
            DatabaseMetaData md = c.getMetaData();
            System.out.println("\nconnected to " + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion()
                    + " at " + md.getURL());
            java.util.SortedSet<String> tables = new java.util.TreeSet<>();
            try (ResultSet rs = md.getTables(null, "ugnos", "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    tables.add("\"" + rs.getString("TABLE_NAME") + "\"");
                }
            }
            System.out.println("tables (one per series): " + String.join(" ", tables));

            show(c, "per host: average and peak CPU",
                    "SELECT host, role, round(avg(\"value\"), 2) AS avg_pct, max(\"value\") AS max_pct, count(*) AS points\n"
                            + "FROM \"cpu.usage_user\" GROUP BY host, role ORDER BY host");
            show(c, "hourly average of the web hosts",
                    "SELECT FLOOR(ts TO HOUR) AS hour_start, round(avg(\"value\"), 2) AS avg_pct\n"
                            + "FROM \"cpu.usage_user\" WHERE role = 'web' GROUP BY FLOOR(ts TO HOUR) ORDER BY hour_start");
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ts, \"value\" FROM \"mem.used_percent\" WHERE host = ? AND ts >= ? ORDER BY ts LIMIT 3")) {
                ps.setString(1, "db-1");
                ps.setTimestamp(2, java.sql.Timestamp.from(Instant.parse("2026-01-01T05:59:30Z")));
                show(ps, "last 3 memory readings of db-1 (prepared statement)",
                        "SELECT ts, value FROM \"mem.used_percent\" WHERE host = 'db-1' AND ts >= TIMESTAMP '2026-01-01 05:59:30' ...");
            }
        }
    }

    /** The engine example's data ({@link SampleData}), written through the engine and compacted. */
    private static void writeSampleData(Path dir) {
        try (Database db = Database.open(dir)) {
            long points = SampleData.write(db);
            db.compact();
            System.out.printf("wrote %,d points into %d series%n", points, db.series().size());
        }
    }

    private static void show(Connection c, String title, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            show(ps, title, sql);
        }
    }

    private static void show(PreparedStatement ps, String title, String sql) throws SQLException {
        System.out.println("\n-- " + title + "\n" + sql);
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData m = rs.getMetaData();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                header.append(String.format("%-25s", m.getColumnLabel(i)));
            }
            System.out.println(header.toString().stripTrailing());
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    row.append(String.format("%-25s", rs.getString(i)));
                }
                System.out.println(row.toString().stripTrailing());
            }
        }
    }
}
