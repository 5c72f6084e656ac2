package dev.vigil.hunt;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Named monotonic counters of one server instance (never static), reported by {@code /api/stats}. */
public final class Counters {
    private final ConcurrentHashMap<String, LongAdder> map = new ConcurrentHashMap<>();

    Counters(String... names) {
        for (String n : names) map.put(n, new LongAdder());
    }

    void add(String name, long delta) {
        if (delta != 0) map.computeIfAbsent(name, k -> new LongAdder()).add(delta);
    }

    void inc(String name) {
        add(name, 1);
    }

    /** The value of one counter (0 when it never moved). */
    public long get(String name) {
        LongAdder a = map.get(name);
        return a == null ? 0 : a.sum();
    }

    /** A sorted snapshot of every counter. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
