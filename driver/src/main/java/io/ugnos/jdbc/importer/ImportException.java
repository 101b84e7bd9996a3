package io.ugnos.jdbc.importer;

/** A line of input that cannot be imported; the message says what is wrong and, once known, where. */
public final class ImportException extends RuntimeException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
