package dev.vigil.rules.lang;

/** A syntax error in a condition, with where it was found. Caught by the loader and turned into a problem. */
public final class ParseException extends RuntimeException {
    private final transient Pos pos;

    public ParseException(Pos pos, String message) {
        super(message, null, false, false);
        this.pos = pos;
    }

    /** Where in the condition string the error was found. */
    public Pos pos() { return pos; }
}
