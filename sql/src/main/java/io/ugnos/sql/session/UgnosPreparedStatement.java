package io.ugnos.sql.session;

import io.ugnos.sql.EngineErrors;
import io.ugnos.sql.ddl.DdlCommand;
import io.ugnos.sql.insert.InsertStatement;
import io.ugnos.sql.insert.Parameters;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A prepared DDL command or INSERT of a {@link UgnosConnection}. An INSERT is parsed once; each
 * execution binds the parameters into the rows and writes them without planning, and
 * {@link #executeBatch} writes every added parameter set in one engine write, or nothing when a row
 * is bad. (Queries are prepared by Calcite directly.)
 *
 * <pre>{@code
 * try (PreparedStatement ps = c.prepareStatement("INSERT INTO cpu (ts, value, host) VALUES (?, ?, ?)")) {
 *     ps.setTimestamp(1, Timestamp.from(Instant.now())); ps.setDouble(2, 0.5); ps.setString(3, "web-1");
 *     ps.addBatch();
 *     ps.executeBatch();
 * }
 * }</pre>
 */
public final class UgnosPreparedStatement extends UgnosStatement implements PreparedStatement {
    private final DdlCommand ddl;
    private final InsertStatement insert;
    private final Parameters params;

    UgnosPreparedStatement(UgnosConnection connection, Statement calcite, DdlCommand ddl, InsertStatement insert) {
        super(connection, calcite);
        this.ddl = ddl;
        this.insert = insert;
        this.params = new Parameters(insert == null ? 0 : insert.parameterCount());
    }

    @Override
    public boolean execute() throws SQLException {
        return EngineErrors.guard(this::run);
    }

    private boolean run() throws SQLException {
        checkOpen();
        if (ddl != null) {
            return runDdl(ddl);
        }
        connection.checkWritable();
        setOwnResult(null, connection.inserts().execute(insert, params.current()));
        return false;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (!execute()) {
            throw new SQLException("statement does not return rows (it returned an update count); use executeUpdate or execute",
                    "07000");
        }
        return getResultSet();
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        if (execute()) {
            throw new SQLException("statement returns rows; use executeQuery or execute", "07000");
        }
        return getLargeUpdateCount();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate());
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        connection.limits().checkBatch(params.batch().size()); // the rows wait in memory until executeBatch
        params.addBatch();
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        params.clearBatch();
    }

    /** All parameter sets in one write; a bad row fails the whole batch (BatchUpdateException) and writes nothing. */
    @Override
    public int[] executeBatch() throws SQLException {
        return EngineErrors.guard(this::runBatch);
    }

    private int[] runBatch() throws SQLException {
        checkOpen();
        List<Object[]> sets = List.copyOf(params.batch());
        params.clearBatch();
        if (ddl != null) {
            int[] counts = new int[sets.size()];
            for (int i = 0; i < counts.length; i++) {
                runDdl(ddl);
                counts[i] = Math.max(0, getUpdateCount());
            }
            return counts;
        }
        connection.checkWritable();
        int[] counts = connection.inserts().executeBatch(insert, sets);
        setOwnResult(null, Arrays.stream(counts).asLongStream().sum());
        return counts;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return Arrays.stream(executeBatch()).asLongStream().toArray();
    }

    @Override
    public void clearParameters() throws SQLException {
        params.clear();
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        params.setTimestamp(parameterIndex, x, cal);
    }

    /** Null: DDL and INSERT describe no result columns before they run (SHOW's are on its result set). */
    @Override
    public ResultSetMetaData getMetaData() {
        return null;
    }

    @Override
    public ParameterMetaData getParameterMetaData() {
        return new InsertParameters(insert);
    }

    private static SQLException unsupportedType(String setter) {
        return new SQLFeatureNotSupportedException(setter + " is not supported: ugnos columns are TIMESTAMP, BIGINT,"
                + " DOUBLE and VARCHAR; use setTimestamp, setLong, setDouble, setString or setObject");
    }

    // a statement prepared for one command runs only that command
    @Override
    public boolean execute(String sql) throws SQLException {
        throw notForPrepared();
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw notForPrepared();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        throw notForPrepared();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw notForPrepared();
    }

    private static SQLException notForPrepared() {
        return new SQLException("a PreparedStatement runs the statement it was prepared with; use createStatement() for other SQL",
                "HY000");
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        params.set(parameterIndex, null);
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setBigDecimal(int parameterIndex, java.math.BigDecimal x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setNString(int parameterIndex, String x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setDate(int parameterIndex, java.sql.Date x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setTime(int parameterIndex, java.sql.Time x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setTimestamp(int parameterIndex, java.sql.Timestamp x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, java.sql.SQLType targetSqlType) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, java.sql.SQLType targetSqlType, int scaleOrLength) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        params.set(parameterIndex, null);
    }

    @Override
    public void setDate(int parameterIndex, java.sql.Date x, java.util.Calendar cal) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setTime(int parameterIndex, java.sql.Time x, java.util.Calendar cal) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setURL(int parameterIndex, java.net.URL x) throws SQLException {
        params.set(parameterIndex, x);
    }

    @Override
    public void setAsciiStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException {
        throw unsupportedType("setAsciiStream");
    }

    @Override
    public void setUnicodeStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException {
        throw unsupportedType("setUnicodeStream");
    }

    @Override
    public void setBinaryStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException {
        throw unsupportedType("setBinaryStream");
    }

    @Override
    public void setCharacterStream(int parameterIndex, java.io.Reader reader, int length) throws SQLException {
        throw unsupportedType("setCharacterStream");
    }

    @Override
    public void setRef(int parameterIndex, java.sql.Ref x) throws SQLException {
        throw unsupportedType("setRef");
    }

    @Override
    public void setBlob(int parameterIndex, java.sql.Blob x) throws SQLException {
        throw unsupportedType("setBlob");
    }

    @Override
    public void setClob(int parameterIndex, java.sql.Clob x) throws SQLException {
        throw unsupportedType("setClob");
    }

    @Override
    public void setArray(int parameterIndex, java.sql.Array x) throws SQLException {
        throw unsupportedType("setArray");
    }

    @Override
    public void setRowId(int parameterIndex, java.sql.RowId x) throws SQLException {
        throw unsupportedType("setRowId");
    }

    @Override
    public void setNCharacterStream(int parameterIndex, java.io.Reader value, long length) throws SQLException {
        throw unsupportedType("setNCharacterStream");
    }

    @Override
    public void setNClob(int parameterIndex, java.sql.NClob value) throws SQLException {
        throw unsupportedType("setNClob");
    }

    @Override
    public void setClob(int parameterIndex, java.io.Reader reader, long length) throws SQLException {
        throw unsupportedType("setClob");
    }

    @Override
    public void setBlob(int parameterIndex, java.io.InputStream inputStream, long length) throws SQLException {
        throw unsupportedType("setBlob");
    }

    @Override
    public void setNClob(int parameterIndex, java.io.Reader reader, long length) throws SQLException {
        throw unsupportedType("setNClob");
    }

    @Override
    public void setSQLXML(int parameterIndex, java.sql.SQLXML xmlObject) throws SQLException {
        throw unsupportedType("setSQLXML");
    }

    @Override
    public void setAsciiStream(int parameterIndex, java.io.InputStream x, long length) throws SQLException {
        throw unsupportedType("setAsciiStream");
    }

    @Override
    public void setBinaryStream(int parameterIndex, java.io.InputStream x, long length) throws SQLException {
        throw unsupportedType("setBinaryStream");
    }

    @Override
    public void setCharacterStream(int parameterIndex, java.io.Reader reader, long length) throws SQLException {
        throw unsupportedType("setCharacterStream");
    }

    @Override
    public void setAsciiStream(int parameterIndex, java.io.InputStream x) throws SQLException {
        throw unsupportedType("setAsciiStream");
    }

    @Override
    public void setBinaryStream(int parameterIndex, java.io.InputStream x) throws SQLException {
        throw unsupportedType("setBinaryStream");
    }

    @Override
    public void setCharacterStream(int parameterIndex, java.io.Reader reader) throws SQLException {
        throw unsupportedType("setCharacterStream");
    }

    @Override
    public void setNCharacterStream(int parameterIndex, java.io.Reader value) throws SQLException {
        throw unsupportedType("setNCharacterStream");
    }

    @Override
    public void setClob(int parameterIndex, java.io.Reader reader) throws SQLException {
        throw unsupportedType("setClob");
    }

    @Override
    public void setBlob(int parameterIndex, java.io.InputStream inputStream) throws SQLException {
        throw unsupportedType("setBlob");
    }

    @Override
    public void setNClob(int parameterIndex, java.io.Reader reader) throws SQLException {
        throw unsupportedType("setNClob");
    }
}
