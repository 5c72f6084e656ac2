package dev.vigil.rules.fields;

/**
 * Reads a string value as a region {@code [start, end)} of a base string already in the event (fd.directory
 * and fd.filename are regions of the path), so comparisons run without building a substring.
 */
public interface RegionExtractor {
    /** The base string, or null for no value. */
    String base(EvalContext c);

    int start(EvalContext c, String base);

    int end(EvalContext c, String base);
}
