package io.ugnos.sql.session;

import io.ugnos.sql.EngineErrors;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A query prepared by Calcite, seen through the {@link UgnosConnection}: every call goes to Calcite's
 * statement, except that {@code getConnection()} returns the ugnos connection (so DDL and INSERT
 * made through it are routed too) and an unchecked exception from planning or execution arrives as
 * an {@link SQLException}. A dynamic proxy, because the interface has some sixty methods to forward.
 */
final class QueryPreparedStatement implements InvocationHandler {
    private final PreparedStatement calcite;
    private final UgnosConnection connection;

    private QueryPreparedStatement(PreparedStatement calcite, UgnosConnection connection) {
        this.calcite = calcite;
        this.connection = connection;
    }

    static PreparedStatement wrap(PreparedStatement calcite, UgnosConnection connection) {
        return (PreparedStatement) Proxy.newProxyInstance(QueryPreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, new QueryPreparedStatement(calcite, connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "getConnection" -> {
                if (args == null) {
                    calcite.getConnection(); // throws when closed, as JDBC requires
                    return connection;
                }
            }
            case "equals" -> {
                if (args != null && args.length == 1) {
                    return proxy == args[0];
                }
            }
            case "hashCode" -> {
                if (args == null) {
                    return System.identityHashCode(proxy);
                }
            }
            case "close" -> {
                if (args == null) {
                    try {
                        calcite.close();
                    } finally {
                        connection.unregister(calcite);
                    }
                    return null;
                }
            }
            case "toString" -> {
                if (args == null) {
                    return "QueryPreparedStatement(" + calcite + ")";
                }
            }
            default -> {
            }
        }
        try {
            Object result = method.invoke(calcite, args);
            return result instanceof ResultSet rs ? ResultAccessors.install(rs) : result;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r && !(cause instanceof UnsupportedOperationException)) {
                throw EngineErrors.toSql(r);
            }
            if (cause instanceof StackOverflowError || cause instanceof LinkageError || cause instanceof AssertionError) {
                throw EngineErrors.toSql((Error) cause);
            }
            throw cause;
        }
    }
}
