package io.ugnos.engine.format;

/** Structural problem found while parsing bytes; converted to a CorruptionException by the file's reader. */
public final class FormatException extends RuntimeException {
    public FormatException(String message) {
        super(message);
    }
}
