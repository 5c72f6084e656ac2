package dev.vigil.rules.fields;

/** Reads a number (also booleans as 0/1) from the event in context; {@link #NO_VALUE} means no value. */
@FunctionalInterface
public interface NumExtractor {
    /** The sentinel for "no value". */
    long NO_VALUE = Long.MIN_VALUE;

    long get(EvalContext c);
}
