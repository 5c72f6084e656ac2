package dev.vigil.rules.compile;

import java.util.Set;
import java.util.TreeSet;

/**
 * The event types a condition can match: a finite set, or every type except a set ({@code complement}).
 * {@code exact} means the condition is equivalent to an evt.type test, so its negation is the complement;
 * otherwise the set over-approximates and a negation can match any type.
 */
public record TypeSet(Set<String> names, boolean complement, boolean exact) {
    /** Any event type. */
    public static final TypeSet ALL = new TypeSet(Set.of(), true, false);

    public TypeSet {
        names = Set.copyOf(names);
    }

    public static TypeSet of(Set<String> names, boolean exact) { return new TypeSet(names, false, exact); }

    public boolean isAll() { return complement && names.isEmpty(); }

    /** Whether type {@code t} can match. */
    public boolean contains(String t) { return complement != names.contains(t); }

    public TypeSet and(TypeSet o) {
        boolean ex = exact && o.exact;
        if (!complement && !o.complement) return new TypeSet(inter(names, o.names), false, ex);
        if (!complement) return new TypeSet(minus(names, o.names), false, ex);
        if (!o.complement) return new TypeSet(minus(o.names, names), false, ex);
        return new TypeSet(union(names, o.names), true, ex);
    }

    public TypeSet or(TypeSet o) {
        boolean ex = exact && o.exact;
        if (!complement && !o.complement) return new TypeSet(union(names, o.names), false, ex);
        if (!complement) return new TypeSet(minus(o.names, names), true, ex);
        if (!o.complement) return new TypeSet(minus(names, o.names), true, ex);
        return new TypeSet(inter(names, o.names), true, ex);
    }

    public TypeSet not() {
        return exact ? new TypeSet(names, !complement, true) : ALL;
    }

    private static Set<String> inter(Set<String> a, Set<String> b) { Set<String> s = new TreeSet<>(a); s.retainAll(b); return s; }

    private static Set<String> union(Set<String> a, Set<String> b) { Set<String> s = new TreeSet<>(a); s.addAll(b); return s; }

    private static Set<String> minus(Set<String> a, Set<String> b) { Set<String> s = new TreeSet<>(a); s.removeAll(b); return s; }
}
