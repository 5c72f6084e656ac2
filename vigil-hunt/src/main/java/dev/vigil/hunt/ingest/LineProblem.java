package dev.vigil.hunt.ingest;

/** Why one line of a batch was refused, or a warning about it; {@code line} counts from 1. */
public record LineProblem(int line, Kind kind, String message) {
    /** Problem classes, each counted separately on the server. */
    public enum Kind { MALFORMED, INVALID, OVERSIZED, UNKNOWN_FIELDS }
}
