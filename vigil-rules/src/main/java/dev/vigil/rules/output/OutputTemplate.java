package dev.vigil.rules.output;

import dev.vigil.rules.fields.BoundField;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.fields.FieldBindException;
import dev.vigil.rules.fields.FieldCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled output template: literal text and {@code %field} references ({@code %proc.aname[2]},
 * {@code %evt.arg.flags}) bound once. A field with no value renders as {@code <NA>}, as in Falco.
 */
public final class OutputTemplate {
    /** Rendering of a field that has no value. */
    public static final String NA = "<NA>";

    private final String source;
    private final Object[] parts;        // String or BoundField
    private final List<BoundField> fields;

    private OutputTemplate(String source, Object[] parts, List<BoundField> fields) {
        this.source = source;
        this.parts = parts;
        this.fields = fields;
    }

    /** A problem with one {@code %field} of a template: offset in the template and message. */
    public record Problem(int offset, String message) {}

    /**
     * Compiles {@code template}; unknown fields are reported in {@code problems} (and render literally) so
     * that every bad reference is found in one pass.
     */
    public static OutputTemplate compile(String template, FieldCatalog catalog, List<Problem> problems) {
        List<Object> parts = new ArrayList<>();
        Map<String, BoundField> fields = new LinkedHashMap<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        String t = template.strip();
        while (i < t.length()) {
            char ch = t.charAt(i);
            if (ch != '%' || i + 1 >= t.length() || !Character.isLetter(t.charAt(i + 1))) {
                lit.append(ch);
                i++;
                continue;
            }
            int s = i + 1;
            int e = s;
            while (e < t.length() && (Character.isLetterOrDigit(t.charAt(e)) || t.charAt(e) == '_' || t.charAt(e) == '.')) e++;
            while (e > s && t.charAt(e - 1) == '.') e--;
            String name = t.substring(s, e);
            String arg = null;
            int end = e;
            if (e < t.length() && t.charAt(e) == '[') {
                int close = t.indexOf(']', e);
                if (close > 0) {
                    arg = t.substring(e + 1, close);
                    end = close + 1;
                }
            }
            BoundField f;
            try {
                f = catalog.bind(name, arg);
            } catch (FieldBindException x) {
                problems.add(new Problem(i, x.getMessage()));
                lit.append(t, i, end);
                i = end;
                continue;
            }
            if (!lit.isEmpty()) { parts.add(lit.toString()); lit.setLength(0); }
            BoundField prev = fields.putIfAbsent(f.text(), f);
            parts.add(prev != null ? prev : f);
            i = end;
        }
        if (!lit.isEmpty()) parts.add(lit.toString());
        return new OutputTemplate(template, parts.toArray(), List.copyOf(fields.values()));
    }

    /** The template as written. */
    public String source() { return source; }

    /** The distinct fields referenced, in order of first use (the keys of {@code output_fields}). */
    public List<BoundField> fields() { return fields; }

    /** The template rendered for the event in context. */
    public String render(EvalContext c) {
        StringBuilder sb = new StringBuilder(128);
        for (Object p : parts) {
            if (p instanceof String s) {
                sb.append(s);
            } else {
                String v = ((BoundField) p).render(c);
                sb.append(v == null ? NA : v);
            }
        }
        return sb.toString();
    }

    /** Field name to value (String, Long, Boolean, or null for no value), for {@code output_fields}. */
    public Map<String, Object> values(EvalContext c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (BoundField f : fields) out.put(f.text(), f.jsonValue(c));
        return out;
    }
}
