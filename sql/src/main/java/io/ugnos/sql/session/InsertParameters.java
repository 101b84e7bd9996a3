package io.ugnos.sql.session;

import io.ugnos.sql.insert.InsertStatement;

import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * Describes the {@code ?} parameters of a prepared INSERT by the column each fills: ts TIMESTAMP,
 * ts_ns BIGINT, value DOUBLE, tags VARCHAR (parameters of an INSERT … SELECT query are VARCHAR, as
 * their type is only known to the query). Remote clients (Avatica) use it to serialise values.
 */
final class InsertParameters implements ParameterMetaData {
    private final int[] types;

    InsertParameters(InsertStatement insert) {
        types = new int[insert == null ? 0 : insert.parameterCount()];
        java.util.Arrays.fill(types, Types.VARCHAR);
        if (insert != null && !insert.isQuery()) {
            for (Object[] row : insert.rows()) {
                for (int c = 0; c < row.length; c++) {
                    if (row[c] instanceof InsertStatement.Param p) {
                        types[p.index()] = switch (insert.columns().get(c).toLowerCase(Locale.ROOT)) {
                            case "ts" -> Types.TIMESTAMP;
                            case "ts_ns" -> Types.BIGINT;
                            case "value" -> Types.DOUBLE;
                            default -> Types.VARCHAR;
                        };
                    }
                }
            }
        }
    }

    private int type(int param) throws SQLException {
        if (param < 1 || param > types.length) {
            throw new SQLException("parameter index " + param + " is out of range: the statement has " + types.length
                    + " parameters", "07009");
        }
        return types[param - 1];
    }

    @Override
    public int getParameterCount() {
        return types.length;
    }

    @Override
    public int isNullable(int param) throws SQLException {
        return type(param) == Types.VARCHAR ? parameterNullable : parameterNoNulls;
    }

    @Override
    public boolean isSigned(int param) throws SQLException {
        return type(param) != Types.VARCHAR;
    }

    @Override
    public int getPrecision(int param) throws SQLException {
        return switch (type(param)) {
            case Types.TIMESTAMP -> 29;
            case Types.BIGINT -> 19;
            case Types.DOUBLE -> 15;
            default -> 65535;
        };
    }

    @Override
    public int getScale(int param) throws SQLException {
        return type(param) == Types.TIMESTAMP ? 9 : 0;
    }

    @Override
    public int getParameterType(int param) throws SQLException {
        return type(param);
    }

    @Override
    public String getParameterTypeName(int param) throws SQLException {
        return switch (type(param)) {
            case Types.TIMESTAMP -> "TIMESTAMP";
            case Types.BIGINT -> "BIGINT";
            case Types.DOUBLE -> "DOUBLE";
            default -> "VARCHAR";
        };
    }

    @Override
    public String getParameterClassName(int param) throws SQLException {
        return switch (type(param)) {
            case Types.TIMESTAMP -> java.sql.Timestamp.class.getName();
            case Types.BIGINT -> Long.class.getName();
            case Types.DOUBLE -> Double.class.getName();
            default -> String.class.getName();
        };
    }

    @Override
    public int getParameterMode(int param) throws SQLException {
        type(param);
        return parameterModeIn;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
