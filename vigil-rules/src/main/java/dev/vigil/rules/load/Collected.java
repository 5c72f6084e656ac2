package dev.vigil.rules.load;

import dev.vigil.rules.load.Item.ExceptionItem;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The rules files after every item was applied in order: final lists, macros and rules by name, in
 * definition order. Input of the compiler.
 */
public record Collected(SequencedMap<String, ListDef> lists, SequencedMap<String, MacroDef> macros,
                        SequencedMap<String, RuleDef> rules) {

    /** A list after appends and overrides. */
    public record ListDef(String name, List<String> items, SourceRef where) {}

    /** A macro after appends and overrides. */
    public record MacroDef(String name, Condition condition, SourceRef where) {}

    /** A rule after appends, overrides and enabled flags. */
    public record RuleDef(String name, Condition condition, Condition output, String desc, String priority,
                          SourceRef priorityWhere, boolean enabled, List<String> tags, String source,
                          List<ExceptionItem> exceptions, boolean skipIfUnknownFilter, Map<String, Object> vigil,
                          SourceRef where, boolean warnEvttypes) {}
}
