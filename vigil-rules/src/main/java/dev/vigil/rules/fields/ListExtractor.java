package dev.vigil.rules.fields;

/** Reads a field with several values (ancestor names, both endpoints' addresses) without allocating. */
public interface ListExtractor {
    /** Number of values; 0 when the field has no value. */
    int size(EvalContext c);

    /** The i-th value, i &lt; size; may be null (that element has no value). */
    String get(EvalContext c, int i);
}
