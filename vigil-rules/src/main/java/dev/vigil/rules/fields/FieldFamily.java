package dev.vigil.rules.fields;

import java.util.List;

/** One family of fields ({@code evt.*}, {@code proc.*}, ...): a descriptor table and a binder. */
public interface FieldFamily {
    /** Family name, as in the docs ("evt", "proc", ...). */
    String name();

    /** The descriptor table, in display order. */
    List<FieldDef> fields();

    /**
     * Binds a row of this family's table (with its argument, null when none) to an extractor. Called only for
     * rows with {@code filled() == true}, with an argument already checked against {@link FieldDef#arg()};
     * throws {@link FieldBindException} for an argument the field cannot take (e.g. a non-numeric index).
     */
    BoundField bind(FieldDef f, String arg);
}
