package io.ugnos.bench.query;

/**
 * Two systems answered one query differently: the benchmark refuses to time answers it cannot
 * vouch for. The message holds the query, both SQL texts and both answers.
 */
public final class ResultMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the query, both SQL texts, the difference and both answers */
    public ResultMismatchException(String message) {
        super(message);
    }

    /** @param message what failed, with the SQL text; @param cause the system's exception */
    public ResultMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
