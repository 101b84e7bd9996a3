package io.ugnos.engine.codec;

/**
 * Thrown when encoded bytes cannot be decoded: a read would run past the readable range, the codec id
 * is unknown, or a header field (length, bit width, exponent, count) is out of range. Decoders never
 * fail on garbage input in any other way, so callers can map this one exception to "corrupt block".
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }
}
