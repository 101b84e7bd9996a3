package io.ugnos.sql.insert;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.SeriesNames;
import io.ugnos.sql.TimestampValues;

import java.math.BigDecimal;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The series and column roles of an INSERT, resolved against the database: which column is the
 * timestamp ({@code ts} as a TIMESTAMP, or {@code ts_ns} as epoch nanoseconds), which is
 * {@code value}, and which tag key each other column names (a key the series has not seen yet
 * becomes a new tag column). {@link #add} turns one row of values into a point.
 */
final class PointTarget {
    private enum Role { TS, TS_NS, VALUE, TAG }

    private final String series;
    private final Role[] roles;
    private final String[] tagKeys;

    private PointTarget(String series, Role[] roles, String[] tagKeys) {
        this.series = series;
        this.roles = roles;
        this.tagKeys = tagKeys;
    }

    String series() {
        return series;
    }

    /**
     * Resolves {@code columns} of the series named {@code name}; when it does not exist it is created
     * if {@code create}, else this is a "no such table" error.
     */
    static PointTarget resolve(Database db, String name, List<String> columns, boolean create) throws SQLException {
        String series = SeriesNames.resolveOrNull(db, name);
        Collection<String> known = List.of();
        if (series == null) {
            if (!create) {
                throw new SQLSyntaxErrorException("series " + name + " does not exist and this connection does not create"
                        + " series on INSERT; run CREATE SERIES " + name + " first", "42S02");
            }
            series = name;
        } else {
            try {
                known = db.tagKeys(series);
            } catch (SeriesNotFoundException e) {
                known = Set.of(); // dropped meanwhile: the write re-creates it
            }
        }
        Role[] roles = new Role[columns.size()];
        String[] tags = new String[columns.size()];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < roles.length; i++) {
            String c = columns.get(i);
            if (seen.stream().anyMatch(c::equalsIgnoreCase)) {
                throw new SQLSyntaxErrorException("column " + c + " is named twice in the INSERT into " + series, "42000");
            }
            seen.add(c);
            roles[i] = switch (c.toLowerCase(Locale.ROOT)) {
                case "ts" -> Role.TS;
                case "ts_ns" -> Role.TS_NS;
                case "value" -> Role.VALUE;
                default -> Role.TAG;
            };
            if (roles[i] == Role.TAG) {
                String k = SeriesNames.match("tag column", c, known);
                tags[i] = k != null ? k : c;
            }
        }
        long ts = count(roles, Role.TS) + count(roles, Role.TS_NS);
        if (ts != 1 || count(roles, Role.VALUE) != 1) {
            throw new SQLSyntaxErrorException("INSERT into " + series + " must name exactly one of ts (a TIMESTAMP) or ts_ns"
                    + " (epoch nanoseconds), and value; it names " + String.join(", ", columns), "42000");
        }
        return new PointTarget(series, roles, tags);
    }

    private static long count(Role[] roles, Role r) {
        return java.util.Arrays.stream(roles).filter(x -> x == r).count();
    }

    /** Adds the point of {@code row} (values in column order) to {@code batch}; {@code rowNumber} (from 1) is for messages. */
    void add(WriteBatch batch, Object[] row, long rowNumber) throws SQLException {
        long ts = 0;
        double value = 0;
        List<String> kv = new ArrayList<>(4);
        for (int i = 0; i < roles.length; i++) {
            Object v = row[i];
            switch (roles[i]) {
                case TS -> ts = timestamp(v, rowNumber);
                case TS_NS -> ts = nanos(v, rowNumber);
                case VALUE -> value = value(v, rowNumber);
                case TAG -> {
                    String t = tag(v, i, rowNumber);
                    if (t != null) { // NULL: the point does not have this tag
                        kv.add(tagKeys[i]);
                        kv.add(t);
                    }
                }
            }
        }
        try {
            batch.add(series, TagSet.of(kv.toArray(String[]::new)), ts, value);
        } catch (RuntimeException e) {
            throw new SQLDataException("row " + rowNumber + ": " + e.getMessage(), "22000", e);
        }
    }

    private long timestamp(Object v, long row) throws SQLException {
        if (v == null) {
            throw new SQLDataException("row " + row + ": ts is NULL; every point needs a timestamp", "22004");
        }
        Long ns = TimestampValues.toNanos(v instanceof InsertParser.TimestampText t ? t.text() : v);
        if (ns == null) {
            throw new SQLDataException("row " + row + ": ts takes a TIMESTAMP (java.sql.Timestamp, Instant, OffsetDateTime,"
                    + " LocalDateTime as UTC, or 'yyyy-MM-dd HH:mm:ss' text), got " + describe(v)
                    + "; for epoch nanoseconds insert into ts_ns instead", "22005");
        }
        return ns;
    }

    private long nanos(Object v, long row) throws SQLException {
        if (v == null) {
            throw new SQLDataException("row " + row + ": ts_ns is NULL; every point needs a timestamp", "22004");
        }
        try {
            if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                return ((Number) v).longValue();
            }
            if (v instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (v instanceof java.math.BigInteger b) {
                return b.longValueExact();
            }
            if (v instanceof String s) {
                return Long.parseLong(s.trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new SQLDataException("row " + row + ": ts_ns " + describe(v)
                    + " is not a whole number of nanoseconds that fits in 64 bits", "22003", e);
        }
        Long ns = TimestampValues.toNanos(v instanceof InsertParser.TimestampText t ? t.text() : v);
        if (ns == null) {
            throw new SQLDataException("row " + row + ": ts_ns takes epoch nanoseconds (a BIGINT), got " + describe(v), "22005");
        }
        return ns;
    }

    private double value(Object v, long row) throws SQLException {
        if (v == null) {
            throw new SQLDataException("row " + row + ": value is NULL; values are doubles (NaN is allowed, NULL is not)", "22004");
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new SQLDataException("row " + row + ": value '" + s + "' is not a number", "22018", e);
            }
        }
        throw new SQLDataException("row " + row + ": value takes a DOUBLE, got " + describe(v), "22005");
    }

    private String tag(Object v, int column, long row) throws SQLException {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
            return v.toString();
        }
        throw new SQLDataException("row " + row + ": tag " + tagKeys[column] + " takes a VARCHAR, got " + describe(v), "22005");
    }

    private static String describe(Object v) {
        return v.getClass().getSimpleName() + " " + v;
    }
}
