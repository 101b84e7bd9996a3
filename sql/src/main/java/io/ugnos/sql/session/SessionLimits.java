package io.ugnos.sql.session;

import java.sql.SQLException;
import java.sql.SQLNonTransientException;

/**
 * What one connection may hold at once, so that a careless or hostile client cannot exhaust the
 * server's memory: the size of one statement's SQL text, the statements open at a time, and the rows
 * (or statements) waiting in one batch before {@code executeBatch}. Exceeding one fails the call with
 * SQLSTATE {@link #SQL_STATE} (program limit exceeded), a message naming the size, the limit, and the
 * connection property that raises it.
 *
 * <pre>{@code
 * connection.unwrap(UgnosConnection.class).setLimits(SessionLimits.DEFAULTS.withMaxStatementBytes(16 << 20));
 * }</pre>
 *
 * @param maxStatementBytes most bytes (UTF-8) of SQL text in one statement
 * @param maxOpenStatements most statements open at once on one connection
 * @param maxBatchRows      most rows (parameter sets, or statements) added to one batch
 */
public record SessionLimits(long maxStatementBytes, int maxOpenStatements, int maxBatchRows) {
    /** SQLSTATE class 54, "program limit exceeded". */
    public static final String SQL_STATE = "54000";
    /** 1 MiB of SQL, 10,000 open statements, 1,000,000 rows per batch. */
    public static final SessionLimits DEFAULTS = new SessionLimits(1 << 20, 10_000, 1_000_000);

    public SessionLimits {
        if (maxStatementBytes < 1 || maxOpenStatements < 1 || maxBatchRows < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxStatementBytes + ", " + maxOpenStatements
                    + ", " + maxBatchRows);
        }
    }

    public SessionLimits withMaxStatementBytes(long v) {
        return new SessionLimits(v, maxOpenStatements, maxBatchRows);
    }

    public SessionLimits withMaxOpenStatements(int v) {
        return new SessionLimits(maxStatementBytes, v, maxBatchRows);
    }

    public SessionLimits withMaxBatchRows(int v) {
        return new SessionLimits(maxStatementBytes, maxOpenStatements, v);
    }

    /** Fails when {@code sql} is longer than {@link #maxStatementBytes}. */
    void checkStatement(String sql) throws SQLException {
        if (sql == null) {
            return;
        }
        // no string of fewer than a third as many chars as the limit can be over it: skip counting
        long bytes = (long) sql.length() * 3 <= maxStatementBytes ? 0 : utf8Length(sql);
        if (bytes > maxStatementBytes) {
            throw exceeded(String.format("statement is %,d bytes of SQL text, over the limit of %,d", bytes, maxStatementBytes),
                    "send smaller statements (split a large INSERT, or insert through a PreparedStatement batch)",
                    "maxStatementBytes");
        }
        StatementSize.check(sql);
    }

    /** Fails when a batch already holding {@code rows} rows cannot take one more. */
    void checkBatch(int rows) throws SQLException {
        if (rows >= maxBatchRows) {
            throw exceeded(String.format("batch already holds %,d rows, the limit", rows),
                    "call executeBatch more often (every few thousand rows is plenty)", "maxBatchRows");
        }
    }

    /** Fails when {@code open} statements are open, the limit. */
    void checkOpenStatements(int open) throws SQLException {
        if (open >= maxOpenStatements) {
            throw exceeded(String.format("%,d statements are open on this connection, the limit", open),
                    "close statements when done with them (try-with-resources)", "maxOpenStatements");
        }
    }

    private static SQLException exceeded(String what, String todo, String property) {
        return new SQLNonTransientException(what + "; " + todo + ", or raise the connection property " + property
                + " (jdbc:ugnos:...;" + property + "=N)", SQL_STATE);
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
