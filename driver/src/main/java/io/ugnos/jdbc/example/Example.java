package io.ugnos.jdbc.example;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;

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
import java.util.Random;

/**
 * The tour of ugnos through JDBC: writes CPU and memory series for four hosts into a new on-disk
 * database, then connects with {@code jdbc:ugnos:<dir>} and prints what SQL sees.
 *
 * <pre>java io.ugnos.jdbc.example.Example [directory]</pre>
 */
public final class Example {
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;

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

    /** Six hours of 10-second readings for three series and four hosts, written through the engine. */
    private static void writeSampleData(Path dir) {
        long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * SECOND;
        String[] hosts = {"web-1", "web-2", "db-1", "db-2"};
        String[] series = {"cpu.usage_user", "cpu.usage_system", "mem.used_percent"};
        Random rnd = new Random(42);
        long points = 0;
        try (Database db = Database.open(dir)) {
            for (int hour = 0; hour < 6; hour++) {
                WriteBatch batch = new WriteBatch();
                for (String s : series) {
                    for (String h : hosts) {
                        TagSet tags = TagSet.of("host", h, "role", h.startsWith("web") ? "web" : "db", "region", "eu-west-1");
                        WriteBatch.Run run = batch.run(s, tags);
                        for (long t = start + hour * HOUR; t < start + (hour + 1) * HOUR; t += 10 * SECOND) {
                            run.add(t, Math.round(rnd.nextDouble() * 1000) / 10.0);
                        }
                    }
                }
                points += batch.pointCount();
                db.write(batch);
            }
            db.compact();
        }
        System.out.printf("wrote %,d points into %d series%n", points, series.length);
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
