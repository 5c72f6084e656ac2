package dev.vigil.rules.fields;

/**
 * One row of a family's descriptor table: the single source for the compiler (does the field exist, does it
 * take an argument), the docs and the tests.
 *
 * @param filled      whether Vigil fills the field from its events; false means it always has no value
 *                    (Falco's k8s.* and a few others that need data a ptrace sensor does not see)
 * @param multi       whether comparisons match if any of several values matches ({@code fd.ip},
 *                    {@code proc.aname} without index)
 */
public record FieldDef(String name, FieldType type, ArgKind arg, boolean filled, boolean multi,
                       String description) {

    /** A field filled by Vigil, with one value. */
    public static FieldDef of(String name, FieldType type, ArgKind arg, String description) {
        return new FieldDef(name, type, arg, true, false, description);
    }

    /** A field Vigil has no source for: always no value. */
    public static FieldDef unfilled(String name, FieldType type, ArgKind arg, String description) {
        return new FieldDef(name, type, arg, false, false, description);
    }

    /** A field whose comparisons match any of its values. */
    public static FieldDef any(String name, FieldType type, ArgKind arg, String description) {
        return new FieldDef(name, type, arg, true, true, description);
    }
}
