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
        } catch (SQLException e) {
            throw withReason(e);
        } catch (RuntimeException e) {
            throw toSql(e);
        } catch (StackOverflowError | LinkageError | AssertionError e) {
            throw toSql(e);
        }
    }

    /**
     * Calcite's exception for a statement it could not parse or validate, with the reason in its
     * message and the SQLSTATE of its class: Calcite's {@code prepareStatement} says only "Error
     * while preparing statement [sql]" and keeps where and what went wrong ("From line 1, column 15
     * to line 1, column 18: Object 'nope' not found") in the cause, which a program printing the
     * message never shows. Any other exception is returned as it is.
     */
    static SQLException withReason(SQLException e) {
        Throwable reason = e.getCause();
        if (e.getClass() != SQLException.class || reason == null || reason.getMessage() == null || !isParseOrValidation(reason)) {
            return e;
        }
        String msg = e.getMessage() == null ? reason.getMessage()
                : e.getMessage().contains(reason.getMessage()) ? e.getMessage() : e.getMessage() + ": " + reason.getMessage();
        return new SQLSyntaxErrorException(msg, "42000", e.getErrorCode(), reason); // syntax error or access rule violation
    }

    private static boolean isParseOrValidation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.apache.calcite.runtime.CalciteContextException || c instanceof org.apache.calcite.sql.parser.SqlParseException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SQL exception for an {@link Error} that one statement caused and that leaves the JVM
     * sound: a stack overflow in the parser or planner (a statement nested too deeply), a constant
     * that failed to evaluate while Calcite initialised the statement's generated class
     * ({@link ExceptionInInitializerError}, and {@link NoClassDefFoundError} when the cached class
     * is used again), or a failed internal assertion. Any other {@code Error} should propagate.
     */
    public static SQLException toSql(Error e) {
        if (e instanceof StackOverflowError) {
            return new SQLNonTransientException("statement too complex: it is nested too deeply for the parser or"
                    + " planner (parentheses, subqueries, or a long chain of AND/OR terms); split it into simpler"
                    + " statements, or use IN (...) instead of many ORs", "54001", e);
        }
        if (e instanceof ExceptionInInitializerError || (e instanceof NoClassDefFoundError && failedInitializer(e))) {
            return new SQLDataException("a constant in the statement cannot be evaluated: " + constantFailure(e), "22000", e);
        }
        return new SQLNonTransientException("internal error while running the statement (please report it): " + e, e);
    }

    /** Whether a NoClassDefFoundError is the later use of a class whose initialiser failed (not a missing class). */
    private static boolean failedInitializer(Error e) {
        return (e.getMessage() != null && e.getMessage().startsWith("Could not initialize class"))
                || e.getCause() instanceof ExceptionInInitializerError;
    }

    /**
     * What went wrong in the static initialiser: the cause's message, also when only the
     * {@link NoClassDefFoundError} of a later use is at hand (the JVM keeps the first failure as its
     * cause, as "Exception java.lang.X: message [in thread ...]").
     */
    private static String constantFailure(Error e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String msg = c.getMessage() != null ? c.getMessage() : c.toString();
        return msg.replaceFirst("^Exception [\\w.$]+: ", "").replaceFirst(" \\[in thread [^\\]]*\\]$", "");
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
        if (e instanceof ClassCastException) {
            return new SQLDataException("a value has the wrong type for where it is used (a parameter bound with the"
                    + " wrong setter, or a string where a number is expected): " + msg, "22000", e);
        }
        if (e instanceof DatabaseLockedException) {
            return new SQLNonTransientConnectionException(msg, "08001", e);
        }
        return new SQLNonTransientException(msg, e);
    }
}
