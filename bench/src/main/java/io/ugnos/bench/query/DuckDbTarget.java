package io.ugnos.bench.query;

import io.ugnos.bench.peer.DuckDbLoader;
import io.ugnos.bench.peer.DuckDbSize;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * DuckDB embedded through JDBC, loaded with {@link DuckDbLoader} (the Appender, rows in arrival
 * order, then {@code CHECKPOINT}) in one of its two layouts: one narrow table per metric like ugnos's
 * series, or TSBS's wide {@code cpu} table. DuckDB runs with its default thread count.
 */
public final class DuckDbTarget implements QueryTarget {
    private final DuckDbLoader.Layout layout;
    private Connection connection;
    private String threads = "?";

    /** @param layout narrow (one table per metric) or wide (one {@code cpu} table) */
    public DuckDbTarget(DuckDbLoader.Layout layout) {
        this.layout = layout;
    }

    @Override
    public String name() {
        return layout == DuckDbLoader.Layout.NARROW ? "DuckDB (narrow)" : "DuckDB (wide)";
    }

    @Override
    public QueryDialect dialect() {
        return layout == DuckDbLoader.Layout.NARROW ? NarrowDialect.duckDb() : WideDialect.duckDb();
    }

    @Override
    public LoadFigures load(TsbsDevopsGenerator data, Path dir) throws Exception {
        Path file = dir.resolve("tsbs.duckdb");
        DuckDbSize size = DuckDbLoader.load(data, file, layout, DuckDbLoader.RowOrder.ARRIVAL);
        connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
            if (rs.next()) {
                threads = rs.getString(1);
            }
        }
        String tables = layout == DuckDbLoader.Layout.NARROW ? "one table per metric (ts, value, hostname)"
                : "one wide cpu table (ts, 10 tags, 10 metrics)";
        return new LoadFigures(size.loadSeconds(), DiskUsage.allocatedBytes(dir), size.fileBytes(), data.rows(), data.points(),
                "Appender, " + tables + ", arrival order, CHECKPOINT; threads=" + threads);
    }

    @Override
    public Execution execute(String sql, boolean keepRows) throws Exception {
        return JdbcRun.execute(connection, sql, keepRows);
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }
}
