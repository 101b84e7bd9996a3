package io.ugnos.engine;

/** Root of every error the engine reports. Messages say what went wrong, where, and what to do. */
public class UgnosException extends RuntimeException {
    public UgnosException(String message) {
        super(message);
    }

    public UgnosException(String message, Throwable cause) {
        super(message, cause);
    }
}
