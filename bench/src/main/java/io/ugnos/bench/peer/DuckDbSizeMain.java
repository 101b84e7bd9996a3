package io.ugnos.bench.peer;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prints DuckDB's on-disk cost of the TSBS devops cpu-only data, integer (TSBS) and real-valued,
 * in both layouts and both row orders: bytes per point for timestamps plus values, for the whole
 * file, the compressions chosen and the load rate. Files go to a temporary directory that is
 * deleted afterwards.
 *
 * <p>Usage: {@code DuckDbSizeMain [hosts=100] [hours=24] [seed=123]}. The data is our Java
 * reimplementation of the TSBS generator, not TSBS's own output.
 */
public final class DuckDbSizeMain {

    private static final long START = Instant.parse("2016-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private DuckDbSizeMain() {
    }

    /** Runs the measurements and prints one line per (values, layout, order). */
    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        long hours = args.length > 1 ? Long.parseLong(args[1]) : 24;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 123;
        System.out.printf("DuckDB %s, %d hosts x %d h, seed %d, TSBS devops cpu-only (Java reimplementation)%n",
                duckDbVersion(), hosts, hours, seed);
        System.out.printf("%-7s %-6s %-7s %9s %8s %8s %8s %9s %9s %6s %8s %9s  %s%n",
                "values", "layout", "order", "points", "ts B/pt", "val B/pt", "ts+val", "file B/pt",
                "used B/pt", "load s", "rows/s", "points/s", "compression: ts | value");
        Path dir = Files.createTempDirectory("ugnos-duckdb-size");
        try {
            for (boolean integer : new boolean[] {true, false}) {
                TsbsDevopsGenerator g = new TsbsDevopsGenerator(seed, hosts, START, TimeUnit.HOURS.toNanos(hours), integer);
                for (DuckDbLoader.Layout layout : DuckDbLoader.Layout.values()) {
                    for (DuckDbLoader.RowOrder order : DuckDbLoader.RowOrder.values()) {
                        Path file = dir.resolve(layout + "-" + order + "-" + integer + ".duckdb");
                        DuckDbSize r = DuckDbLoader.load(g, file, layout, order);
                        print(integer ? "integer" : "real", r);
                        deleteTree(file);
                        deleteTree(file.resolveSibling(file.getFileName() + ".wal"));
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void print(String values, DuckDbSize r) {
        System.out.printf("%-7s %-6s %-7s %9d %8.4f %8.4f %8.4f %9.4f %9.4f %6.2f %8.0f %9.0f  %s | %s%s%n",
                values, r.layout().name().toLowerCase(), r.order().name().toLowerCase(), r.points(),
                r.tsBytesPerPoint(), r.valueBytesPerPoint(), r.tsValueBytesPerPoint(), r.fileBytesPerPoint(),
                r.usedFileBytesPerPoint(), r.loadSeconds(), r.rowsPerSecond(), r.pointsPerSecond(),
                summary(r, "ts"), summary(r, valueColumn(r)), r.exact() ? "" : "  (sizes are upper bounds)");
    }

    private static String valueColumn(DuckDbSize r) {
        return r.layout() == DuckDbLoader.Layout.WIDE ? "usage_user" : "value";
    }

    /** Distinct compressions of {@code column} across tables, e.g. {@code "RLE"}. */
    private static String summary(DuckDbSize r, String column) {
        Map<String, Integer> seen = new TreeMap<>();
        r.compressionByColumn().forEach((k, v) -> {
            boolean match = r.layout() == DuckDbLoader.Layout.WIDE && !column.equals("ts")
                    ? TsbsDevopsGenerator.METRICS.contains(k.substring(k.indexOf('.') + 1))
                    : k.endsWith("." + column);
            if (match) {
                seen.merge(v, 1, Integer::sum);
            }
        });
        return seen.toString();
    }

    private static String duckDbVersion() {
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT version()")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (java.sql.SQLException e) {
            return "?";
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
