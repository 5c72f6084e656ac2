package dev.vigil.rules.fields;

/** Reads a string-like value (also IP addresses, chars) from the event in context; null means no value. */
@FunctionalInterface
public interface StrExtractor {
    String get(EvalContext c);
}
