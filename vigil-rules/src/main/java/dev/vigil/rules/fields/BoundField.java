package dev.vigil.rules.fields;

/**
 * A field bound to an extractor at compile time: exactly one of {@code str}, {@code num}, {@code list} is set,
 * by the kind of {@code def.type()} ({@code list} also for {@code multi} fields); {@code region}, when set,
 * reads the same string value as a slice of a larger one (fd.directory of fd.name) without allocating.
 */
public record BoundField(FieldDef def, String arg, StrExtractor str, NumExtractor num, ListExtractor list,
                         RegionExtractor region) {

    public static BoundField str(FieldDef def, String arg, StrExtractor e) { return new BoundField(def, arg, e, null, null, null); }

    public static BoundField num(FieldDef def, String arg, NumExtractor e) { return new BoundField(def, arg, null, e, null, null); }

    public static BoundField list(FieldDef def, String arg, ListExtractor e) { return new BoundField(def, arg, null, null, e, null); }

    /** A string field that is also readable as a region of another string, so comparisons need no substring. */
    public static BoundField region(FieldDef def, String arg, StrExtractor e, RegionExtractor r) {
        return new BoundField(def, arg, e, null, null, r);
    }

    /** The field as written in a rule: {@code proc.aname[2]}, {@code evt.arg.path}. */
    public String text() {
        if (arg == null) return def.name();
        return def.name().equals("evt.arg") || def.name().equals("evt.rawarg") ? def.name() + "." + arg
                : def.name() + "[" + arg + "]";
    }

    /** The value rendered as in Falco's text output, or null for no value (printed {@code <NA>}). */
    public String render(EvalContext c) {
        if (str != null) return str.get(c);
        if (num != null) {
            long v = num.get(c);
            if (v == NumExtractor.NO_VALUE) return null;
            return switch (def.type()) {
                case BOOL -> v != 0 ? "true" : "false";
                case ABSTIME -> Render.time(v);
                default -> Long.toString(v);
            };
        }
        int n = list.size(c);
        if (n == 0) return null;
        if (n == 1) return list.get(c, 0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String s = list.get(c, i);
            if (s == null) continue;
            if (!sb.isEmpty()) sb.append(def.multi() && def.type() != FieldType.LIST ? "," : ",");
            sb.append(s);
        }
        return sb.toString();
    }

    /** The value as a JSON-friendly Java object (String, Long, Boolean) or null for no value. */
    public Object jsonValue(EvalContext c) {
        if (num != null) {
            long v = num.get(c);
            if (v == NumExtractor.NO_VALUE) return null;
            return switch (def.type()) {
                case BOOL -> v != 0;
                default -> v;
            };
        }
        return render(c);
    }
}
