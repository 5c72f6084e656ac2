package dev.vigil.rules.fields;

/** A field cannot be bound as written (bad argument); the compiler reports it as a load problem. */
public final class FieldBindException extends RuntimeException {
    public FieldBindException(String message) {
        super(message, null, false, false);
    }
}
