package io.ugnos.sql.insert;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.sql.EngineErrors;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the rows of {@link InsertStatement}s into the engine: VALUES rows are bound and converted
 * without planning; a query source ({@code INSERT … SELECT}) runs on the Calcite connection. All the
 * rows of one call go into one {@link WriteBatch} and one {@link Database#write}, so a bad row fails
 * the call before anything is written.
 *
 * <pre>{@code
 * InsertExecutor x = new InsertExecutor(db, calcite, true);
 * long n = x.execute(InsertParser.parse("INSERT INTO cpu (ts, value) VALUES (TIMESTAMP '2024-01-01 00:00:00', 1)"), new Object[0]);
 * }</pre>
 */
public final class InsertExecutor {
    private final Database db;
    private final Connection calcite;
    private final boolean createSeries;

    /**
     * @param calcite runs the queries of {@code INSERT … SELECT}
     * @param createSeries whether inserting into a missing series creates it
     */
    public InsertExecutor(Database db, Connection calcite, boolean createSeries) {
        this.db = db;
        this.calcite = calcite;
        this.createSeries = createSeries;
    }

    /** Inserts with one set of parameter values (indexed from 0); returns the number of rows written. */
    public long execute(InsertStatement s, Object[] params) throws SQLException {
        PointTarget target = PointTarget.resolve(db, s.series(), s.columns(), createSeries);
        WriteBatch batch = new WriteBatch();
        long rows = collect(s, target, params, batch, 0);
        write(target, batch);
        return rows;
    }

    /**
     * Inserts once per parameter set, all in one write. When any row is bad nothing is written and a
     * {@link BatchUpdateException} says which row and why (every update count is EXECUTE_FAILED).
     */
    public int[] executeBatch(InsertStatement s, List<Object[]> paramSets) throws SQLException {
        int[] counts = new int[paramSets.size()];
        try {
            PointTarget target = PointTarget.resolve(db, s.series(), s.columns(), createSeries);
            WriteBatch batch = new WriteBatch();
            long rows = 0;
            for (int i = 0; i < paramSets.size(); i++) {
                long n = collect(s, target, paramSets.get(i), batch, rows);
                counts[i] = (int) Math.min(Integer.MAX_VALUE, n);
                rows += n;
            }
            write(target, batch);
            return counts;
        } catch (SQLException e) {
            Arrays.fill(counts, Statement.EXECUTE_FAILED);
            throw new BatchUpdateException("batch not written: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), counts, e);
        }
    }

    private void write(PointTarget target, WriteBatch batch) throws SQLException {
        try {
            if (batch.isEmpty()) {
                if (!db.hasSeries(target.series())) {
                    db.createSeries(target.series()); // an INSERT of no rows still creates the series
                }
            } else {
                db.write(batch);
            }
        } catch (RuntimeException e) {
            throw EngineErrors.toSql(e);
        }
    }

    private long collect(InsertStatement s, PointTarget target, Object[] params, WriteBatch batch, long rowsBefore)
            throws SQLException {
        if (!s.isQuery()) {
            long row = rowsBefore;
            Object[] values = new Object[s.columns().size()];
            for (Object[] cells : s.rows()) {
                for (int i = 0; i < cells.length; i++) {
                    values[i] = cells[i] instanceof InsertStatement.Param p ? param(params, p.index()) : cells[i];
                }
                target.add(batch, values, ++row);
            }
            return row - rowsBefore;
        }
        try (PreparedStatement q = calcite.prepareStatement(s.query())) {
            for (int i = 0; i < s.parameterCount(); i++) {
                q.setObject(i + 1, param(params, i));
            }
            try (ResultSet rs = q.executeQuery()) {
                int width = rs.getMetaData().getColumnCount();
                if (width != s.columns().size()) {
                    throw new SQLSyntaxErrorException("the query of the INSERT into " + target.series() + " returns " + width
                            + " columns for " + s.columns().size() + " target columns", "42000");
                }
                boolean[] timestamp = new boolean[width];
                for (int i = 0; i < width; i++) {
                    timestamp[i] = rs.getMetaData().getColumnType(i + 1) == Types.TIMESTAMP;
                }
                long row = rowsBefore;
                Object[] values = new Object[width];
                while (rs.next()) {
                    for (int i = 0; i < width; i++) {
                        values[i] = timestamp[i] ? utcWallClock(rs.getTimestamp(i + 1)) : rs.getObject(i + 1);
                    }
                    target.add(batch, values, ++row);
                }
                return row - rowsBefore;
            }
        }
    }

    /**
     * The UTC date-time a TIMESTAMP value from Calcite stands for. Calcite's JDBC timestamps follow
     * TIMESTAMP WITHOUT TIME ZONE rules: their wall-clock time in the JVM's default zone is the
     * column's (UTC) wall-clock time, so {@code getTime()} is the instant only when the JVM runs in
     * UTC; the wall clock, read as UTC, is the instant in every zone.
     */
    private static LocalDateTime utcWallClock(Timestamp ts) {
        return ts == null ? null : ts.toLocalDateTime();
    }

    private static Object param(Object[] params, int index) throws SQLException {
        if (index >= params.length || params[index] == Parameters.UNSET) {
            throw new SQLSyntaxErrorException("parameter " + (index + 1) + " of the INSERT is not set", "07001");
        }
        return params[index];
    }
}
