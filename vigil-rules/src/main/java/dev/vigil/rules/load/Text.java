package dev.vigil.rules.load;

import dev.vigil.rules.lang.Pos;

/**
 * A string value from a rules file (a condition, an output) with where it starts, so that a position inside
 * it ({@link Pos}) maps back to the file. Plain, quoted and block scalars change whitespace, so the mapping
 * matches the n-th non-blank character of the value with the n-th non-blank character of the source.
 *
 * @param startIndex index in the file where the scalar starts (its indicator or quote), -1 when synthetic
 * @param block      true for '|' and '&gt;' scalars (the value starts on the next line)
 * @param quoted     true for quoted scalars (skip the opening quote)
 */
public record Text(String value, SourceRef where, SourceFile file, int startIndex, boolean block, boolean quoted) {

    /** A value with no position of its own (built by the loader), reported at {@code where}. */
    public static Text synthetic(String value, SourceRef where) {
        return new Text(value, where, null, -1, false, false);
    }

    /** The file position of {@code pos} inside this value. */
    public SourceRef at(Pos pos) {
        if (file == null || startIndex < 0) return where;
        int k = 0;
        for (int i = 0; i < pos.offset() && i < value.length(); i++) if (!Character.isWhitespace(value.charAt(i))) k++;
        int total = 0;
        for (int i = 0; i < value.length(); i++) if (!Character.isWhitespace(value.charAt(i))) total++;
        int past = 0;
        if (k >= total && total > 0) { past = 1; k = total - 1; }
        String src = file.text();
        int j = startIndex;
        if (block) {
            while (j < src.length() && src.charAt(j) != '\n') j++;
        } else if (quoted && j < src.length()) {
            j++;
        }
        int seen = 0;
        while (j < src.length()) {
            char ch = src.charAt(j);
            if (!Character.isWhitespace(ch)) {
                if (seen == k) break;
                seen++;
            }
            j++;
        }
        if (j >= src.length()) return where;
        return where.at(file.line(j), file.col(j) + past);
    }

    /** A snippet for a position inside the value. */
    public String snippet(Pos pos) {
        if (file == null) return "";
        SourceRef r = at(pos);
        return file.snippet(r.line(), r.col());
    }
}
