package dev.vigil.rules.fields;

/** Whether a field takes an argument in brackets ({@code proc.aname[2]}) or after a dot ({@code evt.arg.path}). */
public enum ArgKind {
    /** No argument. */
    NONE,
    /** An index that must be given: {@code proc.aexe[2]}. */
    INDEX,
    /** An optional index; without it the field matches any element ({@code proc.aname} = any ancestor). */
    INDEX_OR_ANY,
    /** A name or index that must be given: {@code evt.arg.path}, {@code evt.arg[0]}. */
    KEY,
    /** A name that may be given: {@code container.mount.dest[/etc]}. */
    KEY_OPTIONAL
}
