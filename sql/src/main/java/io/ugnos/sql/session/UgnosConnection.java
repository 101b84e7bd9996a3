package io.ugnos.sql.session;

import io.ugnos.engine.Database;
import io.ugnos.sql.EngineErrors;
import io.ugnos.sql.ddl.DdlExecutor;
import io.ugnos.sql.ddl.DdlCommand;
import io.ugnos.sql.ddl.DdlParser;
import io.ugnos.sql.insert.InsertExecutor;
import io.ugnos.sql.insert.InsertParser;
import io.ugnos.sql.insert.InsertStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;

/**
 * A ugnos SQL connection: the Calcite connection for queries, with the statements Calcite does not
 * run routed elsewhere. DDL ({@code CREATE SERIES}, {@code DROP SERIES}, {@code ALTER … SET
 * RETENTION}, {@code DELETE FROM … WHERE ts < …}, {@code COMPACT}, {@code FLUSH}, {@code SHOW …}) goes
 * to {@link DdlExecutor}; {@code INSERT} to {@link InsertExecutor}'s fast path; the rest to Calcite.
 * With {@link #setReadOnly setReadOnly(true)}, DDL that changes anything and INSERT fail with
 * "connection is read-only" (SHOW still works).
 *
 * <pre>{@code
 * Connection c = UgnosConnection.wrap(calciteConnection, db);
 * c.createStatement().execute("CREATE SERIES \"cpu.usage_user\" WITH (retention = '30d')");
 * }</pre>
 */
public final class UgnosConnection implements Connection {
    private final Connection calcite;
    private final DdlExecutor ddl;
    private final InsertExecutor inserts;
    private volatile boolean readOnly;
    private volatile SessionLimits limits = SessionLimits.DEFAULTS;
    /** The Calcite statements behind the open statements handed out, counted against {@link SessionLimits#maxOpenStatements}. */
    private final java.util.Set<Statement> openStatements = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Query texts that passed {@link SessionLimits#checkStatement}, with the limits they passed under. */
    private final java.util.Map<String, SessionLimits> checkedQueries = new java.util.concurrent.ConcurrentHashMap<>();
    /** At most 256 texts of at most 4,096 chars (the size of the plan cache; under 2 MB even when full). */
    private static final int MAX_CHECKED_QUERIES = 256;
    private static final int MAX_CHECKED_QUERY_CHARS = 4096;
    /** Whether a write may have run since auto-commit was turned off or {@link #commit()} last ran. */
    private volatile boolean writtenSinceCommit;
    /** Why read-only cannot be turned off (the server's role of the user), or null when it can. */
    private volatile String readOnlyLock;

    private UgnosConnection(Connection calcite, Database db, boolean createSeriesOnInsert) {
        this.calcite = calcite;
        this.ddl = new DdlExecutor(db);
        this.inserts = new InsertExecutor(db, calcite, createSeriesOnInsert);
    }

    /** Wraps a Calcite connection over {@code db}'s schema; INSERT into a missing series creates it. */
    public static UgnosConnection wrap(Connection calcite, Database db) {
        return wrap(calcite, db, true);
    }

    /** As {@link #wrap(Connection, Database)}, choosing whether INSERT creates missing series. */
    public static UgnosConnection wrap(Connection calcite, Database db, boolean createSeriesOnInsert) {
        return new UgnosConnection(calcite, db, createSeriesOnInsert);
    }

    DdlExecutor ddl() {
        return ddl;
    }

    InsertExecutor inserts() {
        return inserts;
    }

    /** The limits of this connection ({@link SessionLimits#DEFAULTS} unless set). */
    public SessionLimits limits() {
        return limits;
    }

    /** Sets the limits for statements made from now on (the driver sets them from connection properties). */
    public void setLimits(SessionLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * Checks {@code sql} against the limits and routes it. A query (Calcite's route) that passed
     * under the current limits is remembered by its text, so that running it again skips scanning
     * it (the AND/OR count and the first word cost as much as a cached plan's lookup).
     */
    Route checkAndRoute(String sql) throws SQLException {
        SessionLimits l = limits;
        if (sql != null && checkedQueries.get(sql) == l) {
            return Route.CALCITE;
        }
        l.checkStatement(sql);
        Route route = Route.of(sql);
        if (route == Route.CALCITE && sql != null && sql.length() <= MAX_CHECKED_QUERY_CHARS) {
            if (checkedQueries.size() >= MAX_CHECKED_QUERIES) {
                checkedQueries.clear(); // a workload of ad-hoc texts: start over rather than grow
            }
            checkedQueries.put(sql, l);
        }
        return route;
    }

    /** Fails when another statement would exceed {@link SessionLimits#maxOpenStatements}. */
    private void reserveStatement() throws SQLException {
        if (openStatements.size() >= limits.maxOpenStatements()) {
            // a statement closed by closeOnCompletion, or by Calcite, never passed through our close()
            openStatements.removeIf(UgnosConnection::isClosed);
            limits.checkOpenStatements(openStatements.size());
        }
    }

    private static boolean isClosed(Statement s) {
        try {
            return s.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private <S extends Statement> S register(S calciteStatement) {
        openStatements.add(calciteStatement);
        return calciteStatement;
    }

    void unregister(Statement calciteStatement) {
        openStatements.remove(calciteStatement);
    }

    /** Statements open on this connection now. */
    public int openStatementCount() {
        return openStatements.size();
    }

    void checkWritable() throws SQLException {
        if (readOnly) {
            String lock = readOnlyLock;
            throw new SQLNonTransientException("connection is read-only: DDL and INSERT are refused ("
                    + (lock != null ? lock : "open a connection without readOnly=true to change data") + ")", "25006");
        }
        if (!calcite.getAutoCommit()) {
            writtenSinceCommit = true;
        }
    }

    /**
     * Makes the connection read-only for good: {@link #setReadOnly setReadOnly(false)} fails from now on.
     * The server uses it for users whose role only reads, so that a client cannot lift the restriction.
     *
     * @param reason what the error messages say, e.g. "user 'bob' has role readonly"
     */
    public synchronized void lockReadOnly(String reason) {
        readOnlyLock = java.util.Objects.requireNonNull(reason, "reason");
        readOnly = true;
    }

    @Override
    public Statement createStatement() throws SQLException {
        reserveStatement();
        return new UgnosStatement(this, register(calcite.createStatement()));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        reserveStatement();
        return new UgnosStatement(this, register(calcite.createStatement(resultSetType, resultSetConcurrency)));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        reserveStatement();
        return new UgnosStatement(this, register(calcite.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability)));
    }

    /**
     * DDL and INSERT are parsed here (syntax errors surface now); queries are prepared by Calcite and
     * returned behind a proxy whose {@code getConnection()} is this connection.
     */
    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return EngineErrors.guard(() -> prepare(sql));
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Route route = checkAndRoute(sql);
        reserveStatement();
        // parsed before a Calcite statement is opened, so that a syntax error leaves nothing open
        return switch (route) {
            case DDL -> {
                DdlCommand command = DdlParser.parse(sql);
                yield new UgnosPreparedStatement(this, register(calcite.createStatement()), command, null);
            }
            case INSERT -> {
                InsertStatement insert = InsertParser.parse(sql);
                yield new UgnosPreparedStatement(this, register(calcite.createStatement()), null, insert);
            }
            default -> QueryPreparedStatement.wrap(register(calcite.prepareStatement(sql)), this);
        };
    }

    /** A query prepared by Calcite with options, counted and limited like the others; only an SQLException leaves. */
    private PreparedStatement prepareQuery(String sql, EngineErrors.SqlAction<PreparedStatement> how) throws SQLException {
        return EngineErrors.guard(() -> {
            limits.checkStatement(sql);
            reserveStatement();
            return QueryPreparedStatement.wrap(register(how.run()), this);
        });
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return Route.of(sql) == Route.CALCITE
                ? prepareQuery(sql, () -> calcite.prepareStatement(sql, resultSetType, resultSetConcurrency))
                : prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return Route.of(sql) == Route.CALCITE
                ? prepareQuery(sql, () -> calcite.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability))
                : prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return Route.of(sql) == Route.CALCITE ? prepareQuery(sql, () -> calcite.prepareStatement(sql, autoGeneratedKeys))
                : prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return Route.of(sql) == Route.CALCITE ? prepareQuery(sql, () -> calcite.prepareStatement(sql, columnIndexes))
                : prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return Route.of(sql) == Route.CALCITE ? prepareQuery(sql, () -> calcite.prepareStatement(sql, columnNames))
                : prepareStatement(sql);
    }

    @Override
    public synchronized void setReadOnly(boolean readOnly) throws SQLException {
        String lock = readOnlyLock;
        if (!readOnly && lock != null) {
            throw new SQLNonTransientException("cannot make the connection writable: " + lock, "25006");
        }
        this.readOnly = readOnly || lock != null;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void close() throws SQLException {
        calcite.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return calcite.isClosed();
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        calcite.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(java.util.Properties properties) throws SQLClientInfoException {
        calcite.setClientInfo(properties);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : calcite.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || calcite.isWrapperFor(iface);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return calcite.nativeSQL(sql);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        calcite.setAutoCommit(autoCommit);
        writtenSinceCommit = false;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return calcite.getAutoCommit();
    }

    /**
     * Nothing to do: ugnos has no transactions, and every write is durable and visible when its
     * {@code execute} returns, with or without auto-commit. Accepted (rather than refused) because
     * pools and frameworks turn auto-commit off and commit as a matter of course.
     */
    @Override
    public void commit() throws SQLException {
        checkOpen("commit");
        writtenSinceCommit = false;
    }

    /**
     * Does nothing when nothing was written since auto-commit was turned off or the last commit (a
     * pool rolls back every connection it gets back with auto-commit off); fails when a write may
     * have happened, since it cannot be undone.
     *
     * @throws SQLFeatureNotSupportedException when writes since the last commit would have to be undone
     */
    @Override
    public void rollback() throws SQLException {
        checkOpen("rollback");
        if (writtenSinceCommit) {
            writtenSinceCommit = false; // reported once: a pool's rollback on return after this must not fail again
            throw new SQLFeatureNotSupportedException("ugnos has no transactions: the writes made since auto-commit was"
                    + " turned off (or the last commit) are already durable and visible, and rollback cannot undo them;"
                    + " remove points with DELETE FROM <series> WHERE ts < ..., or keep auto-commit on", "0A000");
        }
    }

    private void checkOpen(String what) throws SQLException {
        if (calcite.isClosed()) {
            throw new SQLNonTransientConnectionException(what + " on a closed connection", "08003");
        }
    }

    @Override
    public java.sql.DatabaseMetaData getMetaData() throws SQLException {
        return calcite.getMetaData();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        calcite.setCatalog(catalog);
    }

    @Override
    public String getCatalog() throws SQLException {
        return calcite.getCatalog();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        calcite.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return calcite.getTransactionIsolation();
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        return calcite.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        calcite.clearWarnings();
    }

    @Override
    public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
        return calcite.getTypeMap();
    }

    @Override
    public void setTypeMap(java.util.Map<String, Class<?>> map) throws SQLException {
        calcite.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        calcite.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return calcite.getHoldability();
    }

    @Override
    public java.sql.Savepoint setSavepoint() throws SQLException {
        return calcite.setSavepoint();
    }

    @Override
    public java.sql.Savepoint setSavepoint(String name) throws SQLException {
        return calcite.setSavepoint(name);
    }

    @Override
    public void rollback(java.sql.Savepoint savepoint) throws SQLException {
        calcite.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(java.sql.Savepoint savepoint) throws SQLException {
        calcite.releaseSavepoint(savepoint);
    }

    @Override
    public java.sql.CallableStatement prepareCall(String sql) throws SQLException {
        return calcite.prepareCall(sql);
    }

    @Override
    public java.sql.CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return calcite.prepareCall(sql, resultSetType, resultSetConcurrency);
    }

    @Override
    public java.sql.CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return calcite.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public java.sql.Clob createClob() throws SQLException {
        return calcite.createClob();
    }

    @Override
    public java.sql.Blob createBlob() throws SQLException {
        return calcite.createBlob();
    }

    @Override
    public java.sql.NClob createNClob() throws SQLException {
        return calcite.createNClob();
    }

    @Override
    public java.sql.SQLXML createSQLXML() throws SQLException {
        return calcite.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return calcite.isValid(timeout);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return calcite.getClientInfo(name);
    }

    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        return calcite.getClientInfo();
    }

    @Override
    public java.sql.Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return calcite.createArrayOf(typeName, elements);
    }

    @Override
    public java.sql.Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return calcite.createStruct(typeName, attributes);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        calcite.setSchema(schema);
    }

    @Override
    public String getSchema() throws SQLException {
        return calcite.getSchema();
    }

    @Override
    public void abort(java.util.concurrent.Executor executor) throws SQLException {
        calcite.abort(executor);
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor executor, int milliseconds) throws SQLException {
        calcite.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return calcite.getNetworkTimeout();
    }
}
