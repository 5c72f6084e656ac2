package dev.vigil.hunt.query;

/** A query the server will not run (not a single SELECT, a forbidden keyword or function); the message says why. */
public final class QueryRefusedException extends Exception {
    public QueryRefusedException(String message) {
        super(message);
    }
}
