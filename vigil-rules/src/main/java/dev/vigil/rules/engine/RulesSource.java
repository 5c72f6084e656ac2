package dev.vigil.rules.engine;

import java.nio.file.Path;

/** Rules text with the name problems will cite (a path, or a name for embedded rules and tests). */
public record RulesSource(String name, String text, Path path) {
    /** A file, read when the engine loads. */
    public static RulesSource file(Path p) { return new RulesSource(p.toString(), null, p); }

    /** Text held in memory. */
    public static RulesSource text(String name, String text) { return new RulesSource(name, text, null); }
}
