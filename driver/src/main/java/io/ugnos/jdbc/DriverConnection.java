package io.ugnos.jdbc;

import io.ugnos.engine.Database;
import io.ugnos.engine.UgnosException;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connection the driver hands out. Embedded and in-memory: every call goes to the SQL connection
 * that {@code UgnosSql.connect} made, except {@code close} (which also lets go of the shared database),
 * {@code isValid}, {@code getMetaData} (whose {@code getConnection} returns this connection) and
 * {@code unwrap} ({@code unwrap(Database.class)} gives the open engine {@link Database}, for bulk
 * loading without SQL). A dynamic proxy rather than a class of fifty delegating methods: only these
 * differ, and new {@link Connection} methods of later Java versions delegate without a change.
 * Remote: the Avatica connection, wrapped only so that its metadata names ugnos rather than Avatica.
 */
final class DriverConnection implements InvocationHandler {
    private final Connection delegate;
    private final SharedDatabases.Lease lease;
    private final String url;
    private volatile boolean closed;

    private DriverConnection(Connection delegate, SharedDatabases.Lease lease, String url) {
        this.delegate = delegate;
        this.lease = lease;
        this.url = url;
    }

    /** Wraps a connection; {@code lease} is the shared database it holds, or null for a remote connection. */
    static Connection wrap(Connection delegate, SharedDatabases.Lease lease, String url) {
        return (Connection) Proxy.newProxyInstance(DriverConnection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, new DriverConnection(delegate, lease, url));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                close();
                return null;
            case "isClosed":
                return closed || delegate.isClosed();
            case "isValid":
                if ((Integer) args[0] < 0) {
                    throw new SQLException("isValid timeout must not be negative, got " + args[0], "22023");
                }
                return !closed && !delegate.isClosed() && (lease != null || serverAnswers((Integer) args[0]));
            case "getMetaData":
                checkOpen();
                return UgnosMetaData.wrap(delegate.getMetaData(), (Connection) proxy, url);
            case "unwrap":
                if (args[0] == Database.class && lease != null) {
                    checkOpen();
                    return lease.database();
                }
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : delegate.unwrap((Class<?>) args[0]);
            case "isWrapperFor":
                return (args[0] == Database.class && lease != null) || ((Class<?>) args[0]).isInstance(proxy)
                        || delegate.isWrapperFor((Class<?>) args[0]);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "ugnos connection to " + url + (closed ? " (closed)" : "");
            default:
                if (closed && method.getDeclaringClass() != Object.class) {
                    throw new SQLException("the connection is closed (" + method.getName() + ")", "08003");
                }
                try {
                    return method.invoke(delegate, args);
                } catch (InvocationTargetException e) {
                    if (lease == null && e.getCause() instanceof AvaticaClientRuntimeException remote) {
                        // Avatica's client throws the server's refusal of setReadOnly, setAutoCommit... unchecked
                        throw new SQLException(remote.getMessage(), remote.getSqlState(), remote.getErrorCode(), remote);
                    }
                    throw e.getCause();
                }
        }
    }

    /** A remote session can be gone (server restarted, session expired) while the client object is fine: ask. */
    private boolean serverAnswers(int timeoutSeconds) {
        try (Statement s = delegate.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = s.executeQuery("VALUES 1")) {
                return rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("the connection is closed", "08003");
        }
    }

    private void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            delegate.close();
        } finally {
            if (lease != null) {
                try {
                    lease.close();
                } catch (UgnosException e) {
                    // the last connection closes the database: a failure there (a disk error on the final flush) is the caller's to see
                    throw new SQLException("closing the database failed: " + e.getMessage(), "58030", e);
                }
            }
        }
    }
}
