package io.ugnos.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code DatabaseMetaData.getColumns} as browsing tools expect it. Calcite reports the full SQL type
 * as {@code TYPE_NAME} ({@code "DOUBLE NOT NULL"}, {@code "TIMESTAMP(3) NOT NULL"}), -1 as
 * {@code COLUMN_SIZE} for most types and empty strings for {@code IS_AUTOINCREMENT} and
 * {@code IS_GENERATEDCOLUMN}; tools that map types by name or size columns by {@code COLUMN_SIZE}
 * then show nonsense. This view of the same rows reports the plain type name ({@code DOUBLE},
 * {@code TIMESTAMP}), the sizes JDBC defines, the timestamp's fractional digits, and {@code NO}.
 */
final class ColumnsResultSet implements InvocationHandler {
    private static final Pattern PRECISION = Pattern.compile("\\((\\d+)\\)");
    private static final Map<Integer, Integer> SIZES = Map.of(
            Types.DOUBLE, 15, Types.FLOAT, 15, Types.REAL, 7, Types.BIGINT, 19, Types.INTEGER, 10,
            Types.SMALLINT, 5, Types.TINYINT, 3, Types.BOOLEAN, 1, Types.VARCHAR, Integer.MAX_VALUE);

    private final ResultSet delegate;
    private final int dataType;
    private final int typeName;
    private final int columnSize;
    private final int decimalDigits;
    private final int autoIncrement;
    private final int generated;
    /** Set by a getter that answered from an override, so that {@code wasNull} tells the truth. */
    private Boolean overriddenNull;

    private ColumnsResultSet(ResultSet delegate) throws SQLException {
        this.delegate = delegate;
        this.dataType = delegate.findColumn("DATA_TYPE");
        this.typeName = delegate.findColumn("TYPE_NAME");
        this.columnSize = delegate.findColumn("COLUMN_SIZE");
        this.decimalDigits = delegate.findColumn("DECIMAL_DIGITS");
        this.autoIncrement = delegate.findColumn("IS_AUTOINCREMENT");
        this.generated = delegate.findColumn("IS_GENERATEDCOLUMN");
    }

    static ResultSet wrap(ResultSet columns) throws SQLException {
        return (ResultSet) Proxy.newProxyInstance(ColumnsResultSet.class.getClassLoader(),
                new Class<?>[]{ResultSet.class}, new ColumnsResultSet(columns));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("wasNull") && overriddenNull != null) {
            return overriddenNull;
        }
        if (name.startsWith("get") && args != null && args.length >= 1
                && (args[0] instanceof Integer || args[0] instanceof String) && !name.equals("getMetaData")) {
            int column = args[0] instanceof Integer i ? i : delegate.findColumn((String) args[0]);
            Object value = override(column);
            if (value != NO_OVERRIDE) {
                overriddenNull = value == null;
                return convert(value, method, args);
            }
        }
        overriddenNull = null;
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final Object NO_OVERRIDE = new Object();

    private Object override(int column) throws SQLException {
        if (column == typeName) {
            return baseTypeName(delegate.getString(typeName));
        }
        if (column == columnSize) {
            int raw = delegate.getInt(columnSize);
            int type = delegate.getInt(dataType);
            if (type == Types.TIMESTAMP) {
                int p = precision(delegate.getString(typeName));
                return 19 + (p > 0 ? p + 1 : 0); // yyyy-mm-dd hh:mm:ss[.fff]
            }
            return raw >= 0 ? raw : SIZES.getOrDefault(type, raw);
        }
        if (column == decimalDigits) {
            int type = delegate.getInt(dataType);
            if (type == Types.TIMESTAMP) {
                return precision(delegate.getString(typeName));
            }
            if (type == Types.BIGINT || type == Types.INTEGER || type == Types.SMALLINT || type == Types.TINYINT) {
                return 0;
            }
            return NO_OVERRIDE;
        }
        if (column == autoIncrement || column == generated) {
            String v = delegate.getString(column);
            return v == null || v.isEmpty() ? "NO" : v;
        }
        return NO_OVERRIDE;
    }

    static String baseTypeName(String full) {
        if (full == null) {
            return null;
        }
        String t = full.replace(" NOT NULL", "");
        return PRECISION.matcher(t).replaceAll("").trim().toUpperCase(Locale.ROOT);
    }

    private static int precision(String full) {
        Matcher m = PRECISION.matcher(full == null ? "" : full);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Object convert(Object value, Method method, Object[] args) {
        Class<?> want = method.getReturnType();
        if (method.getName().equals("getObject") && args.length == 2 && args[1] instanceof Class<?> c) {
            want = c;
        }
        if (value == null) {
            return want.isPrimitive() ? (want == boolean.class ? (Object) false : (Object) 0) : null;
        }
        if (want == String.class) {
            return value.toString();
        }
        if (value instanceof Integer i) {
            if (want == int.class || want == Integer.class) {
                return i;
            }
            if (want == long.class || want == Long.class) {
                return i.longValue();
            }
            if (want == short.class || want == Short.class) {
                return i.shortValue();
            }
            if (want == double.class || want == Double.class) {
                return i.doubleValue();
            }
        }
        return value;
    }
}
