package io.ugnos.bench.query;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Query answers in one comparable form, whatever the system: timestamps become {@link Instant}s at
 * millisecond precision (ugnos's SQL {@code ts} is {@code TIMESTAMP(3)}; all data is on whole
 * seconds), numbers become {@link Double}s, text stays {@link String}; SQL NULL is {@code null}.
 * Everything is read as UTC (the JVM's default zone is set to UTC by the benchmark).
 */
public final class ResultRows {
    /** Floats agree when within this relative difference (sums are added in different orders). */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private static volatile long blackhole;

    private ResultRows() {
    }

    /** A timestamp in epoch microseconds as a comparable value. */
    public static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000)
                .truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Reads every column of every row of {@code rs}: into the returned list when {@code keep},
     * otherwise only as far as needed to make the driver materialise the value.
     *
     * @return the rows when {@code keep}, else {@code null}; {@code count[0]} receives the row count
     */
    public static List<List<Object>> read(ResultSet rs, boolean keep, long[] count) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = md.getColumnType(i + 1);
        }
        List<List<Object>> rows = keep ? new ArrayList<>() : null;
        long rowCount = 0;
        long sink = 0;
        while (rs.next()) {
            rowCount++;
            if (keep) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    row.add(value(rs, i + 1, types[i]));
                }
                rows.add(row);
            } else {
                for (int i = 0; i < n; i++) {
                    sink += touch(rs, i + 1, types[i]);
                }
            }
        }
        blackhole = sink; // keeps the reads from being optimised away
        count[0] = rowCount;
        return rows;
    }

    private static Object value(ResultSet rs, int i, int type) throws SQLException {
        switch (type) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
                Timestamp t = rs.getTimestamp(i);
                return t == null ? null : t.toInstant().truncatedTo(ChronoUnit.MILLIS);
            }
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.DECIMAL, Types.NUMERIC, Types.BIGINT, Types.INTEGER,
                 Types.SMALLINT, Types.TINYINT -> {
                double d = rs.getDouble(i);
                return rs.wasNull() ? null : d;
            }
            default -> {
                return rs.getString(i);
            }
        }
    }

    private static long touch(ResultSet rs, int i, int type) throws SQLException {
        switch (type) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> {
                Timestamp t = rs.getTimestamp(i);
                return t == null ? 0 : t.getTime();
            }
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.DECIMAL, Types.NUMERIC, Types.BIGINT, Types.INTEGER,
                 Types.SMALLINT, Types.TINYINT -> {
                return (long) rs.getDouble(i);
            }
            default -> {
                String s = rs.getString(i);
                return s == null ? 0 : s.length();
            }
        }
    }

    /** The rows sorted by all their values, column by column: row order is not part of the comparison. */
    public static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(ROW_ORDER);
        return copy;
    }

    /**
     * Compares two answers after sorting; floats within {@link #RELATIVE_TOLERANCE}.
     *
     * @return {@code null} when they agree, else a description of the first difference
     */
    public static String difference(List<List<Object>> expected, List<List<Object>> actual) {
        List<List<Object>> a = sorted(expected);
        List<List<Object>> b = sorted(actual);
        if (a.size() != b.size()) {
            return "row count " + a.size() + " vs " + b.size();
        }
        for (int r = 0; r < a.size(); r++) {
            List<Object> x = a.get(r);
            List<Object> y = b.get(r);
            if (x.size() != y.size()) {
                return "row " + r + ": column count " + x.size() + " vs " + y.size();
            }
            for (int c = 0; c < x.size(); c++) {
                if (!same(x.get(c), y.get(c))) {
                    return "row " + r + ", column " + (c + 1) + ": " + x.get(c) + " vs " + y.get(c)
                            + " (rows " + x + " vs " + y + ")";
                }
            }
        }
        return null;
    }

    static boolean same(Object x, Object y) {
        if (x instanceof Double a && y instanceof Double b) {
            if (a.equals(b)) {
                return true;
            }
            return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
        }
        return Objects.equals(x, y);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Object> VALUE_ORDER = Comparator.nullsFirst((x, y) -> {
        if (x.getClass() != y.getClass()) {
            return x.getClass().getName().compareTo(y.getClass().getName());
        }
        return ((Comparable) x).compareTo(y);
    });

    private static final Comparator<List<Object>> ROW_ORDER = (x, y) -> {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = VALUE_ORDER.compare(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    };
}
