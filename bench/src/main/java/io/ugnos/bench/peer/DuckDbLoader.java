package io.ugnos.bench.peer;

import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads a {@link TsbsDevopsGenerator}'s data into a new DuckDB database file through DuckDB's
 * Appender (the fastest documented JDBC path) and measures what it costs on disk.
 *
 * <p>Timestamps are stored as {@code TIMESTAMP_NS}: the generator's nanoseconds are kept exactly,
 * and the column is a 64-bit integer like {@code TIMESTAMP} (µs), so DuckDB's integer compressions
 * apply alike. Tags are plain {@code VARCHAR} columns (DuckDB dictionary-compresses them).
 *
 * <ul>
 *   <li>{@link Layout#NARROW}: one table per metric, {@code cpu_<metric>(ts TIMESTAMP_NS,
 *       value DOUBLE, hostname VARCHAR)}, like one series per metric and host.</li>
 *   <li>{@link Layout#WIDE}: TSBS's usual {@code cpu} table: {@code ts}, the ten tags of
 *       {@link Host#TAG_KEYS} and the ten metrics of {@link TsbsDevopsGenerator#METRICS}.</li>
 * </ul>
 *
 * <p>After loading, the database is {@code CHECKPOINT}ed and measured: file size, free blocks, and
 * the compressed bytes and compression of every column as recorded in the segments themselves
 * (see {@link DuckDbStorage}). {@link RowOrder#BY_HOST} stages the rows in DuckDB temporary tables
 * (memory, spilling to DuckDB's temp directory) before the sorted copy into the file.
 */
public final class DuckDbLoader {

    /** Table layout. */
    public enum Layout {
        /** One table per metric: {@code cpu_<metric>(ts, value, hostname)}. */
        NARROW,
        /** One {@code cpu} table with ts, ten tag columns and ten metric columns. */
        WIDE
    }

    /** Row order of the stored tables. */
    public enum RowOrder {
        /** As generated: by time, hosts in order within a tick (how rows arrive). */
        ARRIVAL,
        /**
         * Grouped by host, then by time, as a series-oriented store keeps them: rows are appended to
         * temporary tables, then copied into the file with {@code ORDER BY hostname, ts}.
         */
        BY_HOST
    }

    /** Name of the wide table. */
    public static final String WIDE_TABLE = "cpu";

    private static final DuckDbStorage.ColumnBytes NONE = new DuckDbStorage.ColumnBytes(0, true, Map.of());

    private DuckDbLoader() {
    }

    /** Name of the narrow table of {@code metric}: {@code cpu_<metric>}. */
    public static String narrowTable(String metric) {
        return "cpu_" + metric;
    }

    /**
     * Creates {@code dbFile}, loads all of {@code generator}'s rows in {@code layout} and
     * {@code order}, checkpoints, measures and closes it. The file is left in place.
     *
     * @throws IOException if {@code dbFile} already exists or its size cannot be read
     */
    public static DuckDbSize load(TsbsDevopsGenerator generator, Path dbFile, Layout layout, RowOrder order)
            throws SQLException, IOException {
        if (Files.exists(dbFile)) {
            throw new IOException("refusing to load into an existing file: " + dbFile);
        }
        List<String> tables = layout == Layout.WIDE ? List.of(WIDE_TABLE)
                : TsbsDevopsGenerator.METRICS.stream().map(DuckDbLoader::narrowTable).toList();
        DuckDbStorage.Report storage;
        double loadSeconds;
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dbFile.toAbsolutePath())) {
            DuckDBConnection duck = c.unwrap(DuckDBConnection.class);
            boolean staged = order == RowOrder.BY_HOST;
            try (Statement s = c.createStatement()) {
                for (String table : tables) {
                    s.execute("CREATE TABLE " + table + " (" + columnsDdl(layout) + ")");
                    if (staged) {
                        s.execute("CREATE TEMP TABLE " + stage(table) + " (" + columnsDdl(layout) + ")");
                    }
                }
                String catalog = staged ? "temp" : null;
                List<String> targets = staged ? tables.stream().map(DuckDbLoader::stage).toList() : tables;
                if (layout == Layout.WIDE) {
                    appendWide(generator, duck, catalog, targets.get(0));
                } else {
                    appendNarrow(generator, duck, catalog, targets);
                }
                if (staged) {
                    for (String table : tables) {
                        s.execute("INSERT INTO " + table + " SELECT * FROM temp.main." + stage(table)
                                + " ORDER BY hostname, ts");
                        s.execute("DROP TABLE temp.main." + stage(table));
                    }
                }
                s.execute("CHECKPOINT");
            }
            loadSeconds = (System.nanoTime() - started) / 1e9;
            storage = DuckDbStorage.measure(c, dbFile);
        }
        long fileBytes = Files.size(dbFile);
        Path wal = dbFile.resolveSibling(dbFile.getFileName() + ".wal");
        if (Files.exists(wal)) {
            fileBytes += Files.size(wal);
        }
        return summarize(generator, layout, order, tables, storage, fileBytes, loadSeconds);
    }

    private static String stage(String table) {
        return "stage_" + table;
    }

    private static String columnsDdl(Layout layout) {
        if (layout == Layout.NARROW) {
            return "ts TIMESTAMP_NS, value DOUBLE, hostname VARCHAR";
        }
        StringBuilder ddl = new StringBuilder("ts TIMESTAMP_NS");
        Host.TAG_KEYS.forEach(k -> ddl.append(", ").append(k).append(" VARCHAR"));
        TsbsDevopsGenerator.METRICS.forEach(m -> ddl.append(", ").append(m).append(" DOUBLE"));
        return ddl.toString();
    }

    private static DuckDBAppender appender(DuckDBConnection duck, String catalog, String table) throws SQLException {
        return catalog == null ? duck.createAppender(table) : duck.createAppender(catalog, "main", table);
    }

    private static void appendNarrow(TsbsDevopsGenerator g, DuckDBConnection duck, String catalog,
                                     List<String> tables) throws SQLException {
        String[] hostnames = g.hosts().stream().map(Host::hostname).toArray(String[]::new);
        List<DuckDBAppender> appenders = new ArrayList<>();
        try {
            for (String table : tables) {
                appenders.add(appender(duck, catalog, table));
            }
            DuckDBAppender[] byMetric = appenders.toArray(new DuckDBAppender[0]);
            g.forEachRow((ts, host, values) -> {
                try {
                    for (int m = 0; m < byMetric.length; m++) {
                        byMetric[m].beginRow().appendEpochNanos(ts).append(values[m]).append(hostnames[host]).endRow();
                    }
                } catch (SQLException e) {
                    throw new AppendFailed(e);
                }
            });
        } catch (AppendFailed e) {
            throw e.getCause();
        } finally {
            closeAll(appenders);
        }
    }

    private static void appendWide(TsbsDevopsGenerator g, DuckDBConnection duck, String catalog, String table)
            throws SQLException {
        String[][] tags = g.hosts().stream()
                .map(h -> Host.TAG_KEYS.stream().map(h.tags()::get).toArray(String[]::new))
                .toArray(String[][]::new);
        try (DuckDBAppender a = appender(duck, catalog, table)) {
            g.forEachRow((ts, host, values) -> {
                try {
                    a.beginRow().appendEpochNanos(ts);
                    for (String tag : tags[host]) {
                        a.append(tag);
                    }
                    for (double v : values) {
                        a.append(v);
                    }
                    a.endRow();
                } catch (SQLException e) {
                    throw new AppendFailed(e);
                }
            });
        } catch (AppendFailed e) {
            throw e.getCause();
        }
    }

    private static void closeAll(List<DuckDBAppender> appenders) throws SQLException {
        SQLException first = null;
        for (DuckDBAppender a : appenders) {
            try {
                a.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static DuckDbSize summarize(TsbsDevopsGenerator g, Layout layout, RowOrder order, List<String> tables,
                                        DuckDbStorage.Report storage, long fileBytes, double loadSeconds) {
        Map<String, DuckDbStorage.ColumnBytes> columns = storage.columns();
        List<String> valueColumns = layout == Layout.WIDE ? TsbsDevopsGenerator.METRICS : List.of("value");
        long ts = 0;
        long values = 0;
        boolean exact = true;
        for (String table : tables) {
            DuckDbStorage.ColumnBytes t = columns.getOrDefault(table + ".ts", NONE);
            ts += t.bytes();
            exact &= t.exact();
            for (String v : valueColumns) {
                DuckDbStorage.ColumnBytes b = columns.getOrDefault(table + "." + v, NONE);
                values += b.bytes();
                exact &= b.exact();
            }
        }
        Map<String, String> compression = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        columns.forEach((k, v) -> {
            compression.put(k, v.compression());
            bytes.put(k, v.bytes());
        });
        return new DuckDbSize(layout, order, fileBytes, storage.freeBlocks() * storage.blockSize(), ts, values,
                exact, g.rows(), g.points(), compression, bytes, loadSeconds);
    }

    /** Carries an appender's checked exception out of the row callback. */
    private static final class AppendFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AppendFailed(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
