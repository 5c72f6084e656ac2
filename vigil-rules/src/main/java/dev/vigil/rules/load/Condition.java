package dev.vigil.rules.load;

import dev.vigil.rules.lang.Pos;
import java.util.ArrayList;
import java.util.List;

/**
 * A condition (or output) made of the text that defined it and any appended parts, joined with a blank
 * as Falco does; positions in the joined string map back to the part and file they came from.
 */
public record Condition(List<Text> parts) {
    public Condition {
        parts = List.copyOf(parts);
    }

    public static Condition of(Text t) { return new Condition(List.of(t)); }

    /** This condition with {@code t} appended. */
    public Condition append(Text t) {
        List<Text> p = new ArrayList<>(parts);
        p.add(t);
        return new Condition(p);
    }

    /** The text to parse: the parts joined with a blank. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Text t : parts) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(t.value());
        }
        return sb.toString();
    }

    /** Where the whole condition starts. */
    public SourceRef where() { return parts.getFirst().where(); }

    /** The file position of {@code pos} in {@link #text()}. */
    public SourceRef at(Pos pos) {
        int off = pos.offset();
        for (int i = 0; i < parts.size(); i++) {
            Text t = parts.get(i);
            int len = t.value().length();
            if (off <= len || i == parts.size() - 1) {
                String v = t.value();
                int o = Math.min(off, v.length());
                return t.at(Pos.of(v, o));
            }
            off -= len + 1;
        }
        return where();
    }

    /** The source line and caret for {@code pos}. */
    public String snippet(Pos pos) {
        SourceRef r = at(pos);
        for (Text t : parts) {
            if (t.file() != null && t.file().name().equals(r.file())) return t.file().snippet(r.line(), r.col());
        }
        return "";
    }
}
