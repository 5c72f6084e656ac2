package dev.vigil.rules.engine;

import dev.vigil.event.Workload;
import dev.vigil.rules.compile.Glob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a response applies: glob patterns ({@code *}, {@code ?}) on the workload's project, environment, name
 * and image, and on its labels. Keys left out match everything; a key that is named never matches a workload
 * without that value. Immutable; shared by the {@code vigil:} rule extension and the response policy.
 *
 * @param patterns key (one of {@link #KEYS}) to patterns, any of which may match
 * @param labels   label name to the pattern its value must match; all must match
 */
public record Scope(Map<String, List<String>> patterns, Map<String, String> labels) {
    /** The scope keys that take patterns; {@code labels} is the other one. */
    public static final List<String> KEYS = List.of("project", "environment", "workload", "image");

    /** The scope that applies to every workload. */
    public static final Scope EVERYWHERE = new Scope(Map.of(), Map.of());

    public Scope {
        for (String k : patterns.keySet()) {
            if (!KEYS.contains(k)) throw new IllegalArgumentException("not a scope key: " + k);
        }
        var p = new LinkedHashMap<String, List<String>>();
        patterns.forEach((k, v) -> p.put(k, List.copyOf(v)));
        patterns = java.util.Collections.unmodifiableMap(p);
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** Whether this scope applies to the workload (a null workload only meets the empty scope). */
    public boolean appliesTo(Workload w) {
        if (patterns.isEmpty() && labels.isEmpty()) return true;
        if (w == null) return false;
        for (var e : patterns.entrySet()) {
            boolean hit = switch (e.getKey()) {
                case "project" -> anyMatches(e.getValue(), w.project());
                case "environment" -> anyMatches(e.getValue(), w.environment());
                case "workload" -> anyMatches(e.getValue(), w.name());
                // The image is matched with and without its tag, so "registry/shop/*" and "*:1.2" both work.
                case "image" -> anyMatches(e.getValue(), w.image())
                        || (w.image() != null && w.imageTag() != null
                            && anyMatches(e.getValue(), w.image() + ":" + w.imageTag()));
                default -> false;
            };
            if (!hit) return false;
        }
        for (var l : labels.entrySet()) {
            String v = w.labels().get(l.getKey());
            if (v == null || !new Glob(l.getValue(), false).matches(v)) return false;
        }
        return true;
    }

    private static boolean anyMatches(List<String> globs, String value) {
        if (value == null) return false;
        for (String g : globs) if (new Glob(g, false).matches(value)) return true;
        return false;
    }
}
