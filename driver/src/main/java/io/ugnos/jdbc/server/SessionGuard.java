package io.ugnos.jdbc.server;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Keeps each client to its own connections and statements. Avatica names connections by an id the
 * client picks and statements by a server-wide counter, and its JDBC meta looks a statement up by
 * number alone: without this check, any client could fetch from, execute or close another client's
 * statement by guessing a small integer, and a read-only user could run a read-write user's prepared
 * INSERT. Here every request is checked before it runs: the connection must have been opened by the
 * same user, and the statement must belong to that connection. It also passes SQL errors to the
 * client with their SQLState, which Avatica's meta would lose.
 */
final class SessionGuard implements Service {
    static final String SQL_STATE_NO_PRIVILEGE = "42501";

    private final Service delegate;
    private final ServerMeta meta;
    private final Supplier<ServerUser> user;
    /** Connection id to the key of the user who opened it. */
    private final ConcurrentMap<String, String> connectionOwners = new ConcurrentHashMap<>();
    /** Connections whose open has not returned: a read-only user's connection is locked only at its end. */
    private final java.util.Set<String> opening = ConcurrentHashMap.newKeySet();
    /** Opens since the last {@link #prune}; the maps are pruned every {@value #PRUNE_EVERY} opens. */
    private final java.util.concurrent.atomic.AtomicInteger opensSincePrune = new java.util.concurrent.atomic.AtomicInteger();
    private static final int PRUNE_EVERY = 256;
    /** Statement id to the id of its connection. */
    private final ConcurrentMap<Integer, String> statementConnections = new ConcurrentHashMap<>();

    SessionGuard(Service delegate, ServerMeta meta, Supplier<ServerUser> user) {
        this.delegate = delegate;
        this.meta = meta;
        this.user = user;
    }

    private void checkConnection(String connectionId) {
        if (opening.contains(connectionId)) {
            throw refused("connection " + connectionId + " is still being opened; wait for its open to return");
        }
        String owner = connectionOwners.get(connectionId);
        // an id nobody opened goes on, so that Avatica answers "no such connection" as it always does
        if (owner != null && !owner.equals(user.get().key())) {
            throw refused("connection " + connectionId + " was opened by another user");
        }
    }

    private void checkStatement(String connectionId, int statementId) {
        checkConnection(connectionId);
        String connection = statementConnections.get(statementId);
        if (connection == null ? meta.hasStatement(statementId) : !connection.equals(connectionId)) {
            throw refused("statement " + statementId + " does not belong to connection " + connectionId);
        }
    }

    /**
     * Runs a request, passing a SQL error on with its SQLState and message: Avatica's JDBC meta wraps it in a
     * bare RuntimeException, which its handler reports as state 00000 with the exception's class in the text.
     */
    private static <T> T withSqlState(Supplier<T> call) {
        try {
            return call.get();
        } catch (AvaticaRuntimeException e) {
            throw e;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof SQLException sql && sql.getSQLState() != null) {
                    throw new AvaticaRuntimeException(sql.getMessage(), sql.getErrorCode(), sql.getSQLState(), AvaticaSeverity.ERROR);
                }
            }
            throw e;
        }
    }

    private AvaticaRuntimeException refused(String what) {
        return new AvaticaRuntimeException(what + " (" + user.get() + ")", 0, SQL_STATE_NO_PRIVILEGE, AvaticaSeverity.ERROR);
    }

    private <T extends ResultSetResponse> T track(T r) {
        if (r != null && r.connectionId != null && r.statementId >= 0) {
            statementConnections.putIfAbsent(r.statementId, r.connectionId);
        }
        return r;
    }

    private ExecuteResponse track(ExecuteResponse r) {
        if (r != null && r.results != null) {
            r.results.forEach(this::track);
        }
        return r;
    }

    @Override
    public OpenConnectionResponse apply(OpenConnectionRequest request) {
        String owner = user.get().key();
        if (opensSincePrune.incrementAndGet() >= PRUNE_EVERY) {
            opensSincePrune.set(0);
            prune();
        }
        // marked as opening first, so that prune() cannot forget the owner of a connection being opened
        if (!opening.add(request.connectionId)) {
            throw refused("connection " + request.connectionId + " is already being opened");
        }
        try {
            String prior = connectionOwners.putIfAbsent(request.connectionId, owner);
            // the same user may open an id again (Avatica's client does after the server expired an idle connection)
            if (prior != null && !prior.equals(owner)) {
                throw refused("connection " + request.connectionId + " belongs to another user");
            }
            try {
                return withSqlState(() -> delegate.apply(request));
            } catch (RuntimeException e) {
                if (prior == null) {
                    connectionOwners.remove(request.connectionId, owner);
                }
                throw e;
            }
        } finally {
            opening.remove(request.connectionId);
        }
    }

    /**
     * Forgets the connections and statements that are gone without a close request: connections the
     * server expired when idle, and those of clients that crashed or were killed. Without this the
     * maps of a long-running server would only grow.
     */
    void prune() {
        connectionOwners.keySet().removeIf(id -> !opening.contains(id) && !meta.hasConnection(id));
        // a statement of a connection that is gone may linger in Avatica's statement cache until it expires
        statementConnections.entrySet().removeIf(e -> !meta.hasStatement(e.getKey()) || !connectionOwners.containsKey(e.getValue()));
    }

    /** Connections and statements whose owner is remembered (for tests). */
    int tracked() {
        return connectionOwners.size() + statementConnections.size();
    }

    @Override
    public CloseConnectionResponse apply(CloseConnectionRequest request) {
        checkConnection(request.connectionId);
        CloseConnectionResponse r = withSqlState(() -> delegate.apply(request));
        connectionOwners.remove(request.connectionId);
        statementConnections.values().removeIf(request.connectionId::equals);
        return r;
    }

    @Override
    public ConnectionSyncResponse apply(ConnectionSyncRequest request) {
        checkConnection(request.connectionId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public DatabasePropertyResponse apply(DatabasePropertyRequest request) {
        checkConnection(request.connectionId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public ResultSetResponse apply(CatalogsRequest request) {
        checkConnection(request.connectionId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public ResultSetResponse apply(SchemasRequest request) {
        checkConnection(request.connectionId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public ResultSetResponse apply(TablesRequest request) {
        checkConnection(request.connectionId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public ResultSetResponse apply(TableTypesRequest request) {
        checkConnection(request.connectionId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public ResultSetResponse apply(TypeInfoRequest request) {
        checkConnection(request.connectionId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public ResultSetResponse apply(ColumnsRequest request) {
        checkConnection(request.connectionId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public CreateStatementResponse apply(CreateStatementRequest request) {
        checkConnection(request.connectionId);
        CreateStatementResponse r = withSqlState(() -> delegate.apply(request));
        statementConnections.put(r.statementId, r.connectionId);
        return r;
    }

    @Override
    public CloseStatementResponse apply(CloseStatementRequest request) {
        checkStatement(request.connectionId, request.statementId);
        CloseStatementResponse r = withSqlState(() -> delegate.apply(request));
        statementConnections.remove(request.statementId);
        return r;
    }

    @Override
    public PrepareResponse apply(PrepareRequest request) {
        checkConnection(request.connectionId);
        PrepareResponse r = withSqlState(() -> delegate.apply(request));
        statementConnections.put(r.statement.id, r.statement.connectionId);
        return r;
    }

    @Override
    public ExecuteResponse apply(PrepareAndExecuteRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public ExecuteResponse apply(ExecuteRequest request) {
        checkStatement(request.statementHandle.connectionId, request.statementHandle.id);
        return track(withSqlState(() -> delegate.apply(request)));
    }

    @Override
    public FetchResponse apply(FetchRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public SyncResultsResponse apply(SyncResultsRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public CommitResponse apply(CommitRequest request) {
        checkConnection(request.connectionId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public RollbackResponse apply(RollbackRequest request) {
        checkConnection(request.connectionId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public ExecuteBatchResponse apply(PrepareAndExecuteBatchRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public ExecuteBatchResponse apply(ExecuteBatchRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return withSqlState(() -> delegate.apply(request));
    }

    @Override
    public void setRpcMetadata(RpcMetadataResponse metadata) {
        delegate.setRpcMetadata(metadata);
    }
}
