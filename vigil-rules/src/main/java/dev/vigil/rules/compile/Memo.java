package dev.vigil.rules.compile;

import dev.vigil.rules.fields.EvalContext;

/**
 * A macro's compiled predicate, evaluated at most once per event however many rules use it (keyed by
 * {@link EvalContext#stamp()}). Holds per-event state: owned by one engine, confined to its thread.
 */
public final class Memo implements EventPredicate {
    private final EventPredicate p;
    private long stamp = Long.MIN_VALUE;
    private boolean value;

    Memo(EventPredicate p) { this.p = p; }

    @Override
    public boolean test(EvalContext c) {
        long s = c.stamp();
        if (s != stamp) {
            value = p.test(c);
            stamp = s;
        }
        return value;
    }

    /** True when this macro was already evaluated for the event with this stamp and was false. */
    public boolean knownFalse(long currentStamp) {
        return stamp == currentStamp && !value;
    }
}
