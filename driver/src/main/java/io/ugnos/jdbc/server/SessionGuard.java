package io.ugnos.jdbc.server;

import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Keeps each client to its own connections and statements. Avatica names connections by an id the
 * client picks and statements by a server-wide counter, and its JDBC meta looks a statement up by
 * number alone: without this check, any client could fetch from, execute or close another client's
 * statement by guessing a small integer, and a read-only user could run a read-write user's prepared
 * INSERT. Here every request is checked before it runs: the connection must have been opened by the
 * same user, and the statement must belong to that connection.
 */
final class SessionGuard implements Service {
    static final String SQL_STATE_NO_PRIVILEGE = "42501";

    private final Service delegate;
    private final ServerMeta meta;
    private final Supplier<ServerUser> user;
    /** Connection id to the key of the user who opened it. */
    private final ConcurrentMap<String, String> connectionOwners = new ConcurrentHashMap<>();
    /** Statement id to the id of its connection. */
    private final ConcurrentMap<Integer, String> statementConnections = new ConcurrentHashMap<>();

    SessionGuard(Service delegate, ServerMeta meta, Supplier<ServerUser> user) {
        this.delegate = delegate;
        this.meta = meta;
        this.user = user;
    }

    private void checkConnection(String connectionId) {
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
        if (connectionOwners.putIfAbsent(request.connectionId, owner) != null) {
            throw refused("connection " + request.connectionId + " is already open");
        }
        try {
            return delegate.apply(request);
        } catch (RuntimeException e) {
            connectionOwners.remove(request.connectionId, owner);
            throw e;
        }
    }

    @Override
    public CloseConnectionResponse apply(CloseConnectionRequest request) {
        checkConnection(request.connectionId);
        CloseConnectionResponse r = delegate.apply(request);
        connectionOwners.remove(request.connectionId);
        statementConnections.values().removeIf(request.connectionId::equals);
        return r;
    }

    @Override
    public ConnectionSyncResponse apply(ConnectionSyncRequest request) {
        checkConnection(request.connectionId);
        return delegate.apply(request);
    }

    @Override
    public DatabasePropertyResponse apply(DatabasePropertyRequest request) {
        checkConnection(request.connectionId);
        return delegate.apply(request);
    }

    @Override
    public ResultSetResponse apply(CatalogsRequest request) {
        checkConnection(request.connectionId);
        return track(delegate.apply(request));
    }

    @Override
    public ResultSetResponse apply(SchemasRequest request) {
        checkConnection(request.connectionId);
        return track(delegate.apply(request));
    }

    @Override
    public ResultSetResponse apply(TablesRequest request) {
        checkConnection(request.connectionId);
        return track(delegate.apply(request));
    }

    @Override
    public ResultSetResponse apply(TableTypesRequest request) {
        checkConnection(request.connectionId);
        return track(delegate.apply(request));
    }

    @Override
    public ResultSetResponse apply(TypeInfoRequest request) {
        checkConnection(request.connectionId);
        return track(delegate.apply(request));
    }

    @Override
    public ResultSetResponse apply(ColumnsRequest request) {
        checkConnection(request.connectionId);
        return track(delegate.apply(request));
    }

    @Override
    public CreateStatementResponse apply(CreateStatementRequest request) {
        checkConnection(request.connectionId);
        CreateStatementResponse r = delegate.apply(request);
        statementConnections.put(r.statementId, r.connectionId);
        return r;
    }

    @Override
    public CloseStatementResponse apply(CloseStatementRequest request) {
        checkStatement(request.connectionId, request.statementId);
        CloseStatementResponse r = delegate.apply(request);
        statementConnections.remove(request.statementId);
        return r;
    }

    @Override
    public PrepareResponse apply(PrepareRequest request) {
        checkConnection(request.connectionId);
        PrepareResponse r = delegate.apply(request);
        statementConnections.put(r.statement.id, r.statement.connectionId);
        return r;
    }

    @Override
    public ExecuteResponse apply(PrepareAndExecuteRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return track(delegate.apply(request));
    }

    @Override
    public ExecuteResponse apply(ExecuteRequest request) {
        checkStatement(request.statementHandle.connectionId, request.statementHandle.id);
        return track(delegate.apply(request));
    }

    @Override
    public FetchResponse apply(FetchRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return delegate.apply(request);
    }

    @Override
    public SyncResultsResponse apply(SyncResultsRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return delegate.apply(request);
    }

    @Override
    public CommitResponse apply(CommitRequest request) {
        checkConnection(request.connectionId);
        return delegate.apply(request);
    }

    @Override
    public RollbackResponse apply(RollbackRequest request) {
        checkConnection(request.connectionId);
        return delegate.apply(request);
    }

    @Override
    public ExecuteBatchResponse apply(PrepareAndExecuteBatchRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return delegate.apply(request);
    }

    @Override
    public ExecuteBatchResponse apply(ExecuteBatchRequest request) {
        checkStatement(request.connectionId, request.statementId);
        return delegate.apply(request);
    }

    @Override
    public void setRpcMetadata(RpcMetadataResponse metadata) {
        delegate.setRpcMetadata(metadata);
    }
}
