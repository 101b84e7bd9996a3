package io.ugnos.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

/**
 * The {@link DatabaseMetaData} of an embedded connection: Calcite's, except that it names ugnos
 * (product, driver, versions, URL) rather than Calcite, and that {@code getConnection} returns the
 * ugnos connection rather than the Calcite connection inside it, as browsing tools compare them, and
 * that {@code getColumns} reports plain type names and sizes ({@link ColumnsResultSet}) and
 * {@code getTables} comes in the order JDBC specifies ({@link SortedRows}).
 */
final class UgnosMetaData implements InvocationHandler {
    static final String PRODUCT_NAME = "ugnos";
    static final String DRIVER_NAME = "ugnos JDBC driver";

    private final DatabaseMetaData delegate;
    private final Connection connection;
    private final String url;

    private UgnosMetaData(DatabaseMetaData delegate, Connection connection, String url) {
        this.delegate = delegate;
        this.connection = connection;
        this.url = url;
    }

    static DatabaseMetaData wrap(DatabaseMetaData delegate, Connection connection, String url) {
        return (DatabaseMetaData) Proxy.newProxyInstance(UgnosMetaData.class.getClassLoader(),
                new Class<?>[]{DatabaseMetaData.class}, new UgnosMetaData(delegate, connection, url));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "getConnection":
                return connection;
            case "getURL":
                return url;
            case "getDatabaseProductName":
                return PRODUCT_NAME;
            case "getDatabaseProductVersion":
            case "getDriverVersion":
                return DriverVersion.VERSION;
            case "getDatabaseMajorVersion":
            case "getDriverMajorVersion":
                return DriverVersion.MAJOR;
            case "getDatabaseMinorVersion":
            case "getDriverMinorVersion":
                return DriverVersion.MINOR;
            case "getDriverName":
                return DRIVER_NAME;
            case "getTables":
                return SortedRows.sort(delegate.getTables((String) args[0], (String) args[1], (String) args[2], (String[]) args[3]),
                        "TABLE_TYPE", "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME");
            case "getColumns":
                return ColumnsResultSet.wrap(delegate.getColumns((String) args[0], (String) args[1], (String) args[2], (String) args[3]));
            case "unwrap":
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : delegate.unwrap((Class<?>) args[0]);
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy) || delegate.isWrapperFor((Class<?>) args[0]);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "ugnos metadata of " + url;
            default:
                try {
                    return method.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
        }
    }
}
