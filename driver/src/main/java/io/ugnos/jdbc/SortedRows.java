package io.ugnos.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A metadata result set read into memory and sorted, for the calls whose order JDBC specifies and
 * Calcite does not keep ({@code getTables}: by type, catalog, schema, name). Forward-only and
 * read-only, as metadata result sets are; getters convert as the JDBC tables of conversions say for
 * the strings and numbers metadata holds.
 */
final class SortedRows implements InvocationHandler {
    private final ResultSetMetaData meta;
    private final List<Object[]> rows;
    private int index = -1;
    private boolean lastNull;
    private boolean closed;

    private SortedRows(ResultSetMetaData meta, List<Object[]> rows) {
        this.meta = meta;
        this.rows = rows;
    }

    /** Reads and closes {@code rs}, and returns its rows sorted by the named columns (nulls first). */
    static ResultSet sort(ResultSet rs, String... byColumns) throws SQLException {
        try (rs) {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            int[] keys = new int[byColumns.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = rs.findColumn(byColumns[i]) - 1;
            }
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
            Comparator<Object[]> order = (a, b) -> 0;
            for (int k : keys) {
                order = order.thenComparing(r -> r[k] == null ? null : r[k].toString(),
                        Comparator.nullsFirst(Comparator.<String>naturalOrder()));
            }
            rows.sort(order);
            return (ResultSet) Proxy.newProxyInstance(SortedRows.class.getClassLoader(), new Class<?>[]{ResultSet.class},
                    new SortedRows(meta, rows));
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "next":
                return ++index < rows.size();
            case "close":
                closed = true;
                return null;
            case "isClosed":
                return closed;
            case "wasNull":
                return lastNull;
            case "getMetaData":
                return meta;
            case "findColumn":
                return column((String) args[0]);
            case "getStatement", "getWarnings":
                return null;
            case "clearWarnings", "setFetchSize", "setFetchDirection":
                return null;
            case "getType":
                return ResultSet.TYPE_FORWARD_ONLY;
            case "getConcurrency":
                return ResultSet.CONCUR_READ_ONLY;
            case "getFetchDirection":
                return ResultSet.FETCH_FORWARD;
            case "getFetchSize":
                return 0;
            case "getRow":
                return index >= 0 && index < rows.size() ? index + 1 : 0;
            case "isBeforeFirst":
                return index < 0 && !rows.isEmpty();
            case "isAfterLast":
                return index >= rows.size() && !rows.isEmpty();
            case "isFirst":
                return index == 0 && !rows.isEmpty();
            case "isLast":
                return index == rows.size() - 1 && !rows.isEmpty();
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                throw new SQLException("not a wrapper for " + args[0]);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "sorted metadata rows (" + rows.size() + ")";
            default:
                if (name.startsWith("get") && args != null && args.length >= 1) {
                    return get(method, args);
                }
                throw new SQLFeatureNotSupportedException(name + " is not supported on a metadata result set");
        }
    }

    private Object get(Method method, Object[] args) throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed");
        }
        if (index < 0 || index >= rows.size()) {
            throw new SQLException("no current row: call next() first");
        }
        int c = args[0] instanceof Integer i ? i : column((String) args[0]);
        if (c < 1 || c > rows.get(index).length) {
            throw new SQLException("column " + c + " out of range 1.." + rows.get(index).length);
        }
        Object v = rows.get(index)[c - 1];
        lastNull = v == null;
        Class<?> want = method.getReturnType();
        if (method.getName().equals("getObject") && args.length == 2 && args[1] instanceof Class<?> cls) {
            want = cls;
        }
        if (want == Object.class) {
            return v;
        }
        if (want == String.class) {
            return v == null ? null : v.toString();
        }
        if (want == boolean.class || want == Boolean.class) {
            return v == null ? (want == boolean.class ? false : null) : v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
        }
        Number num = v == null ? null : v instanceof Number x ? x : Double.valueOf(v.toString());
        if (num == null) {
            return want.isPrimitive() ? (want == double.class ? 0.0 : want == float.class ? 0f : want == long.class ? 0L
                    : want == short.class ? (short) 0 : want == byte.class ? (byte) 0 : 0) : null;
        }
        return switch (want.getSimpleName().toLowerCase(Locale.ROOT)) {
            case "int", "integer" -> num.intValue();
            case "long" -> num.longValue();
            case "short" -> num.shortValue();
            case "byte" -> num.byteValue();
            case "double" -> num.doubleValue();
            case "float" -> num.floatValue();
            default -> throw new SQLFeatureNotSupportedException(method.getName() + " on a metadata value of type "
                    + v.getClass().getSimpleName());
        };
    }

    private int column(String label) throws SQLException {
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase(label)) {
                return i;
            }
        }
        throw new SQLException("no column '" + label + "' in this metadata result set");
    }
}
