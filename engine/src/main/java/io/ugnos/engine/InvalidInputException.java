package io.ugnos.engine;

/** A caller passed something the engine does not accept: a bad series name, an empty tag, an inverted range. */
public class InvalidInputException extends UgnosException {
    public InvalidInputException(String message) {
        super(message);
    }
}
