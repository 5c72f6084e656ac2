package dev.vigil.rules.load;

/** Kinds of items in a rules file, as named in problems ("rule 'X'", "macro 'y'"). */
public enum ItemKind {
    RULE("rule"), MACRO("macro"), LIST("list"), ENGINE_VERSION("required_engine_version"),
    PLUGIN_VERSIONS("required_plugin_versions"), FILE("file"), UNKNOWN("item");

    private final String label;

    ItemKind(String label) { this.label = label; }

    public String label() { return label; }
}
