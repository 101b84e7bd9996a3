package io.ugnos.sql;

import io.ugnos.engine.DatabaseLockedException;
import io.ugnos.engine.DiskFullException;
import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.SeriesNotFoundException;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLSyntaxErrorException;

/**
 * Turns what the engine throws into the {@link SQLException} subclass a JDBC caller expects, keeping
 * the engine's message (it already says what, where and what to do) and the original as the cause.
 *
 * <pre>{@code
 * try { db.dropSeries(name); } catch (RuntimeException e) { throw EngineErrors.toSql(e); }
 * }</pre>
 */
public final class EngineErrors {
    /** SQLSTATE of a write refused because the disk is full (class 53, insufficient resources, as PostgreSQL's disk_full). */
    public static final String DISK_FULL = "53100";

    private EngineErrors() {
    }

    /** A JDBC operation, run by {@link #guard}. */
    @FunctionalInterface
    public interface SqlAction<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code action} so that nothing but an {@link SQLException} leaves it: an unchecked exception
     * (from the engine, or a bug in parsing or planning) is translated by {@link #toSql}.
     */
    public static <T> T guard(SqlAction<T> action) throws SQLException {
        try {
            return action.run();
        } catch (RuntimeException e) {
            throw toSql(e);
        }
    }

    /**
     * The SQL exception for {@code e}: bad values are data errors, unknown series are "no such table",
     * a full disk has SQLSTATE {@link #DISK_FULL}.
     */
    public static SQLException toSql(RuntimeException e) {
        String msg = e.getMessage() != null ? e.getMessage() : e.toString();
        if (e instanceof SeriesNotFoundException) {
            return new SQLSyntaxErrorException(msg, "42S02", e); // SQLSTATE: base table or view not found
        }
        if (e instanceof InvalidInputException || e instanceof NumberFormatException || e instanceof ArithmeticException) {
            return new SQLDataException(msg, "22000", e);
        }
        if (e instanceof DiskFullException) {
            return new SQLNonTransientException(msg, DISK_FULL, e);
        }
        if (e instanceof DatabaseLockedException) {
            return new SQLNonTransientConnectionException(msg, "08001", e);
        }
        return new SQLNonTransientException(msg, e);
    }
}
