package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A database in a temporary directory with a SQL connection over it, reopenable, for statement tests.
 * As a field with {@code @RegisterExtension} it is fresh for each test and deleted after it.
 */
public final class SqlTestDb implements AutoCloseable, AfterEachCallback {
    private final Path dir;
    private Database db;
    private Connection c;

    public SqlTestDb() {
        try {
            dir = Files.createTempDirectory("ugnos-sql");
            open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    private void open() throws SQLException {
        db = Database.open(dir, DatabaseOptions.defaults().withBackgroundCompaction(false));
        c = UgnosSql.connect(db);
    }

    /** Closes the database and opens it again, as a restart would. */
    public void reopen() throws SQLException {
        c.close();
        db.close();
        open();
    }

    public Database db() {
        return db;
    }

    public Connection connection() {
        return c;
    }

    /** Runs {@code sql} through {@link Statement#execute} and returns its update count (or -1 for rows). */
    public long update(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.execute(sql) ? -1 : s.getLargeUpdateCount();
        }
    }

    /** The rows of {@code sql}, each as a list of column values. */
    public List<List<Object>> rows(String sql) throws SQLException {
        return rows(c, sql);
    }

    /** The plan {@code EXPLAIN PLAN FOR sql} shows on {@code c}, its lines joined by line breaks. */
    public static String explain(Connection c, String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }

    /** The rows of {@code sql} on {@code c}, each as a list of column values (NaN equals NaN in them). */
    public static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rows(rs);
        }
    }

    /** The remaining rows of {@code rs}, each as a list of column values. */
    public static List<List<Object>> rows(ResultSet rs) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(rs.getObject(i));
            }
            out.add(row);
        }
        return out;
    }

    /** The single value of a one-row, one-column query. */
    public Object scalar(String sql) throws SQLException {
        List<List<Object>> r = rows(sql);
        if (r.size() != 1 || r.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + r);
        }
        return r.get(0).get(0);
    }

    @Override
    public void close() throws Exception {
        c.close();
        db.close();
        deleteRecursively(dir);
    }

    /** Deletes a test's database directory and everything in it. */
    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
