package dev.vigil.rules.load;

/** Stable codes for load problems (printed, and matched by tests and tooling). */
public enum ProblemCode {
    YAML_SYNTAX, BAD_STRUCTURE, MISSING_KEY, UNKNOWN_KEY, UNKNOWN_ITEM, ENGINE_VERSION, PLUGIN_IGNORED,
    SOURCE_SKIPPED, DUPLICATE, NO_SUCH_ITEM, BAD_OVERRIDE, BAD_PRIORITY, CONDITION_SYNTAX, UNDEFINED_MACRO,
    UNDEFINED_LIST, MACRO_CYCLE, LIST_CYCLE, UNKNOWN_FIELD, BAD_OPERATOR, BAD_VALUE, BAD_OUTPUT, BAD_EXCEPTION,
    NO_EVTTYPE, NEVER_MATCHES, UNUSED, RULE_SKIPPED, IO;

    /** The code as printed: lower-case with dashes ({@code undefined-macro}). */
    public String id() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
}
