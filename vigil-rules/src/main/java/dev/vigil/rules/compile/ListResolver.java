package dev.vigil.rules.compile;

import dev.vigil.rules.load.Collected.ListDef;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.load.ProblemCode;
import dev.vigil.rules.load.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands lists: an item that names another list is replaced by that list's items, recursively; a list that
 * contains itself (directly or not) is an error.
 */
public final class ListResolver {
    private final Map<String, ListDef> defs;
    private final Map<String, List<String>> expanded = new HashMap<>();
    private final List<LoadProblem> problems;

    public ListResolver(Map<String, ListDef> defs, List<LoadProblem> problems) {
        this.defs = defs;
        this.problems = problems;
    }

    /** Whether {@code name} is a defined list. */
    public boolean isList(String name) { return defs.containsKey(name); }

    /** The expanded items of list {@code name} (null when undefined). */
    public List<String> items(String name) {
        return expand(name, new HashSet<>(), new ArrayList<>());
    }

    /**
     * An item written with quotes inside the YAML string ({@code '"10.0.0.0/8"'}) is a quoted value of the
     * condition language, as when Falco substituted lists textually: drop the quotes.
     */
    static String unquote(String item) {
        String t = item.strip();
        if (t.length() >= 2) {
            char q = t.charAt(0);
            if ((q == '"' || q == '\'') && t.charAt(t.length() - 1) == q) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i < t.length() - 1; i++) {
                    char c = t.charAt(i);
                    if (c == '\\' && i + 2 < t.length() && (t.charAt(i + 1) == q || t.charAt(i + 1) == '\\')) c = t.charAt(++i);
                    sb.append(c);
                }
                return sb.toString();
            }
        }
        return item;
    }

    private List<String> expand(String name, Set<String> onStack, List<String> path) {
        List<String> done = expanded.get(name);
        if (done != null) return done;
        ListDef d = defs.get(name);
        if (d == null) return null;
        if (!onStack.add(name)) {
            path.add(name);
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.LIST_CYCLE,
                    "list refers to itself: " + String.join(" -> ", path), d.where(), null));
            return List.of();
        }
        path.add(name);
        List<String> out = new ArrayList<>();
        for (String item : d.items()) {
            if (defs.containsKey(item)) {
                List<String> sub = expand(item, onStack, path);
                if (sub != null) out.addAll(sub);
            } else {
                out.add(unquote(item));
            }
        }
        path.removeLast();
        onStack.remove(name);
        List<String> result = List.copyOf(out);
        expanded.put(name, result);
        return result;
    }
}
