package io.ugnos.sql.session;

import io.ugnos.sql.EngineErrors;
import io.ugnos.sql.ddl.DdlCommand;
import io.ugnos.sql.ddl.DdlParser;
import io.ugnos.sql.ddl.DdlResult;
import io.ugnos.sql.insert.InsertParser;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A statement of a {@link UgnosConnection}: DDL goes to the grammar and its executor, INSERT to the
 * insert fast path, everything else to a Calcite statement. {@code execute} returns true with a
 * result set only for SHOW commands and queries; DDL and INSERT give an update count.
 */
public class UgnosStatement implements Statement {
    final UgnosConnection connection;
    final Statement calcite;
    /** Whether the last execution went to Calcite, whose statement then holds the results. */
    private boolean delegated;
    private ResultSet result;
    private long updateCount = -1;
    private final List<String> batch = new ArrayList<>();
    private boolean closed;

    UgnosStatement(UgnosConnection connection, Statement calcite) {
        this.connection = connection;
        this.calcite = calcite;
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed", "HY010");
        }
    }

    /** Closes the previous result and takes the outcome of one of our own commands. */
    void setOwnResult(ResultSet rs, long count) throws SQLException {
        clearOwnResult();
        delegated = false;
        result = rs;
        updateCount = count;
    }

    private void clearOwnResult() throws SQLException {
        if (result != null) {
            result.close();
            result = null;
        }
        updateCount = -1;
    }

    /** Runs a DDL command and records its outcome; true when it returned rows. */
    boolean runDdl(DdlCommand command) throws SQLException {
        if (!command.returnsRows()) {
            connection.checkWritable();
        }
        DdlResult r = connection.ddl().execute(command);
        setOwnResult(r.rows(), r.hasRows() ? -1 : r.updateCount());
        return r.hasRows();
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return EngineErrors.guard(() -> route(sql));
    }

    private boolean route(String sql) throws SQLException {
        checkOpen();
        switch (connection.checkAndRoute(sql)) {
            case DDL -> {
                return runDdl(DdlParser.parse(sql));
            }
            case INSERT -> {
                connection.checkWritable();
                setOwnResult(null, connection.inserts().execute(InsertParser.parse(sql), new Object[0]));
                return false;
            }
            default -> {
                clearOwnResult();
                delegated = true;
                return calcite.execute(sql);
            }
        }
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return EngineErrors.guard(() -> query(sql));
    }

    private ResultSet query(String sql) throws SQLException {
        checkOpen();
        if (connection.checkAndRoute(sql) == Route.CALCITE) {
            clearOwnResult();
            delegated = true;
            return ResultAccessors.install(calcite.executeQuery(sql));
        }
        if (!route(sql)) {
            throw new SQLException("statement does not return rows (it returned an update count); use executeUpdate or execute",
                    "07000");
        }
        return result;
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return EngineErrors.guard(() -> update(sql));
    }

    private long update(String sql) throws SQLException {
        checkOpen();
        if (connection.checkAndRoute(sql) == Route.CALCITE) {
            clearOwnResult();
            delegated = true;
            return calcite.executeLargeUpdate(sql);
        }
        if (route(sql)) {
            throw new SQLException("statement returns rows; use executeQuery or execute", "07000");
        }
        return updateCount;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate(sql));
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return delegated ? ResultAccessors.install(calcite.getResultSet()) : result;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        long n = getLargeUpdateCount();
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return delegated ? calcite.getLargeUpdateCount() : updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        if (delegated) {
            return calcite.getMoreResults(current);
        }
        if (current != KEEP_CURRENT_RESULT) {
            clearOwnResult();
        } else {
            result = null;
            updateCount = -1;
        }
        return false;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        connection.limits().checkStatement(sql);
        connection.limits().checkBatch(batch.size());
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        batch.clear();
    }

    /** Runs the statements one after another; the first failure stops the batch with the counts of those before it. */
    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        long[] counts = new long[batch.size()];
        try {
            for (int i = 0; i < counts.length; i++) {
                try {
                    counts[i] = executeLargeUpdate(batch.get(i));
                } catch (SQLException e) {
                    throw new BatchUpdateException("statement " + (i + 1) + " of the batch failed: " + e.getMessage(),
                            e.getSQLState(), e.getErrorCode(), Arrays.copyOf(counts, i), e);
                }
            }
            return counts;
        } finally {
            batch.clear();
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return Arrays.stream(executeLargeBatch()).mapToInt(n -> (int) Math.min(Integer.MAX_VALUE, n)).toArray();
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            connection.unregister(calcite);
            clearOwnResult();
            calcite.close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    // ------------------------------------------------------------ settings, kept by the Calcite statement

    @Override
    public int getMaxFieldSize() throws SQLException {
        return calcite.getMaxFieldSize();
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        calcite.setMaxFieldSize(max);
    }

    @Override
    public int getMaxRows() throws SQLException {
        return calcite.getMaxRows();
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        calcite.setMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return calcite.getLargeMaxRows();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        calcite.setLargeMaxRows(max);
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        calcite.setEscapeProcessing(enable);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return calcite.getQueryTimeout();
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        calcite.setQueryTimeout(seconds);
    }

    @Override
    public void cancel() throws SQLException {
        calcite.cancel();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return calcite.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        calcite.clearWarnings();
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        calcite.setCursorName(name);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        calcite.setFetchDirection(direction);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return calcite.getFetchDirection();
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        calcite.setFetchSize(rows);
    }

    @Override
    public int getFetchSize() throws SQLException {
        return calcite.getFetchSize();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return calcite.getResultSetConcurrency();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return calcite.getResultSetType();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return calcite.getResultSetHoldability();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return calcite.getGeneratedKeys();
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return executeUpdate(sql);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return executeUpdate(sql);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return executeUpdate(sql);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return execute(sql);
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        calcite.setPoolable(poolable);
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return calcite.isPoolable();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        calcite.closeOnCompletion();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return calcite.isCloseOnCompletion();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : calcite.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || calcite.isWrapperFor(iface);
    }
}
