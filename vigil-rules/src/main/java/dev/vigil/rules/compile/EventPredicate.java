package dev.vigil.rules.compile;

import dev.vigil.rules.fields.EvalContext;

/** A compiled condition: tests the event in context. Implementations allocate nothing on the usual path. */
@FunctionalInterface
public interface EventPredicate {
    boolean test(EvalContext c);

    EventPredicate TRUE = c -> true;
    EventPredicate FALSE = c -> false;

    static EventPredicate and(EventPredicate[] ps) {
        if (ps.length == 1) return ps[0];
        if (ps.length == 2) {
            EventPredicate a = ps[0], b = ps[1];
            return c -> a.test(c) && b.test(c);
        }
        return c -> {
            for (EventPredicate p : ps) if (!p.test(c)) return false;
            return true;
        };
    }

    static EventPredicate or(EventPredicate[] ps) {
        if (ps.length == 1) return ps[0];
        if (ps.length == 2) {
            EventPredicate a = ps[0], b = ps[1];
            return c -> a.test(c) || b.test(c);
        }
        return c -> {
            for (EventPredicate p : ps) if (p.test(c)) return true;
            return false;
        };
    }

    static EventPredicate not(EventPredicate p) {
        return c -> !p.test(c);
    }
}
