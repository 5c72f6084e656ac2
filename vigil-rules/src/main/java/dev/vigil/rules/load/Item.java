package dev.vigil.rules.load;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** One top-level item of a rules file, as read (before append/override are applied). */
public sealed interface Item permits Item.ListItem, Item.MacroItem, Item.RuleItem, Item.EngineVersion, Item.PluginVersions {

    SourceRef where();

    /** How an override key is applied. */
    enum Mode { APPEND, REPLACE }

    /** {@code - list: name / items: [...]}. */
    record ListItem(SourceRef where, String name, List<String> items, boolean hasItems, boolean append,
                    Map<String, Mode> override) implements Item {}

    /** {@code - macro: name / condition: ...}. */
    record MacroItem(SourceRef where, String name, Text condition, boolean append, Map<String, Mode> override)
            implements Item {}

    /**
     * {@code - rule: name} with whichever keys were present ({@code keys}); absent values are null.
     *
     * @param vigil the Vigil extension ({@code vigil:} key), raw; null when absent
     */
    record RuleItem(SourceRef where, String name, Set<String> keys, Text condition, Text output, String desc,
                    String priority, Boolean enabled, List<String> tags, String source,
                    List<ExceptionItem> exceptions, boolean skipIfUnknownFilter, boolean append,
                    Map<String, Mode> override, Map<String, Object> vigil, boolean warnEvttypes) implements Item {}

    /** {@code required_engine_version}. */
    record EngineVersion(SourceRef where, String version) implements Item {}

    /** {@code required_plugin_versions}: names only (Vigil loads no plugins). */
    record PluginVersions(SourceRef where, List<String> names) implements Item {}

    /**
     * One entry of a rule's {@code exceptions}.
     *
     * @param fields    field names; {@code singleField} when written as a scalar (then values are plain values)
     * @param comps     operators, one per field (default {@code =}, or {@code in} for a single field)
     * @param values    tuples: each a list with one element per field (an element may be a list), or for a
     *                  single field, values
     */
    record ExceptionItem(SourceRef where, String name, List<String> fields, boolean singleField, List<String> comps,
                         List<Object> values) {}
}
