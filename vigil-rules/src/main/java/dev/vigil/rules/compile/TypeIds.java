package dev.vigil.rules.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small integer ids for event type names, assigned while compiling: {@code evt.type} tests compile to a
 * table lookup by id, and the engine maps each event's type name to its id once per event.
 */
public final class TypeIds {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    /** The id of {@code name}, assigned on first use. */
    public int intern(String name) {
        Integer id = ids.get(name);
        if (id != null) return id;
        int n = names.size();
        ids.put(name, n);
        names.add(name);
        return n;
    }

    /** The id of {@code name}, or -1 when no rule names it. No allocation. */
    public int id(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    public int size() { return names.size(); }

    public String name(int id) { return names.get(id); }
}
