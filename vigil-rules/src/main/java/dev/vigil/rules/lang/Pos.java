package dev.vigil.rules.lang;

/**
 * A position inside a condition string: 0-based character offset, 1-based line and column. The loader maps
 * it onto the YAML file ({@code dev.vigil.rules.load.SourceMapper}).
 */
public record Pos(int offset, int line, int col) {
    /** The start of a string. */
    public static final Pos START = new Pos(0, 1, 1);

    /** Position of {@code offset} in {@code text}. */
    public static Pos of(String text, int offset) {
        int line = 1, col = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') { line++; col = 1; } else col++;
        }
        return new Pos(offset, line, col);
    }
}
