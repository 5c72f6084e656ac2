package dev.vigil.rules.fields;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All field families, and the one place a field name is resolved and bound (at compile time only). Immutable
 * after construction: {@link #standard()} builds the catalog Vigil ships.
 */
public final class FieldCatalog {
    private final List<FieldFamily> families;
    private final Map<String, FieldFamily> familyOf = new HashMap<>();
    private final Map<String, FieldDef> byName = new HashMap<>();

    public FieldCatalog(List<FieldFamily> families) {
        this.families = List.copyOf(families);
        for (FieldFamily fam : families) {
            for (FieldDef d : fam.fields()) {
                if (byName.put(d.name(), d) != null) throw new IllegalStateException("duplicate field " + d.name());
                familyOf.put(d.name(), fam);
            }
        }
    }

    /** The catalog of every field Vigil knows. */
    public static FieldCatalog standard() {
        return new FieldCatalog(List.of(new EvtFields(), new ProcFields(), new ThreadFields(), new UserFields(),
                new FdFields(), new FsFields(), new DnsFields(), new ContainerFields(), new K8sFields()));
    }

    public List<FieldFamily> families() { return families; }

    /** Every field, in family and table order. */
    public List<FieldDef> all() {
        List<FieldDef> all = new ArrayList<>();
        for (FieldFamily f : families) all.addAll(f.fields());
        return all;
    }

    /** A field name split into its table row and argument ({@code evt.arg.path} → evt.arg, "path"). */
    public record Resolved(FieldDef def, String arg) {}

    /** Resolves {@code name} (with {@code arg} from brackets, or null), or returns null for an unknown field. */
    public Resolved resolve(String name, String arg) {
        FieldDef d = byName.get(name);
        if (d != null) return new Resolved(d, arg);
        for (String prefix : new String[] {"evt.arg.", "evt.rawarg."}) {
            if (name.startsWith(prefix) && arg == null && name.length() > prefix.length()) {
                return new Resolved(byName.get(prefix.substring(0, prefix.length() - 1)), name.substring(prefix.length()));
            }
        }
        return null;
    }

    /**
     * Binds a field as written in a rule. Throws {@link FieldBindException} with a message naming the field
     * when it is unknown or takes a different argument.
     */
    public BoundField bind(String name, String arg) {
        Resolved r = resolve(name, arg);
        if (r == null) throw new FieldBindException("unknown field '" + name + "'" + suggestion(name));
        FieldDef d = r.def();
        String a = r.arg();
        switch (d.arg()) {
            case NONE -> {
                if (a != null) throw new FieldBindException("field '" + d.name() + "' takes no argument");
            }
            case INDEX, KEY -> {
                if (a == null) {
                    throw new FieldBindException("field '" + d.name() + "' needs an argument, e.g. " + d.name()
                            + (d.arg() == ArgKind.INDEX ? "[1]" : d.name().startsWith("evt.") ? ".name" : "[key]"));
                }
            }
            case INDEX_OR_ANY, KEY_OPTIONAL -> { }
        }
        if (!d.filled()) return unfilled(d, a);
        return familyOf.get(d.name()).bind(d, a);
    }

    private static BoundField unfilled(FieldDef d, String a) {
        return switch (d.type().kind()) {
            case NUMBER, BOOL -> BoundField.num(d, a, c -> NumExtractor.NO_VALUE);
            case LIST -> BoundField.list(d, a, new ListExtractor() {
                @Override public int size(EvalContext c) { return 0; }
                @Override public String get(EvalContext c, int i) { return null; }
            });
            default -> BoundField.str(d, a, c -> null);
        };
    }

    private String suggestion(String name) {
        String best = null;
        int bestD = 3;
        for (String n : byName.keySet()) {
            int dist = distance(n, name);
            if (dist < bestD) { bestD = dist; best = n; }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) return 99;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
