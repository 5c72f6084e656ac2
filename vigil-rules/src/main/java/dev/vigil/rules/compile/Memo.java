package dev.vigil.rules.compile;

import dev.vigil.rules.fields.EvalContext;

/**
 * A macro's compiled predicate, evaluated at most once per event however many rules use it (keyed by
 * {@link EvalContext#stamp()} and the context). Holds per-event state: owned by one engine, confined to its
 * thread.
 */
public final class Memo implements EventPredicate {
    private final EventPredicate p;
    private long stamp = Long.MIN_VALUE;
    private EvalContext ctx;
    private boolean value;

    Memo(EventPredicate p) { this.p = p; }

    @Override
    public boolean test(EvalContext c) {
        long s = c.stamp();
        if (s != stamp || c != ctx) {
            value = p.test(c);
            stamp = s;
            ctx = c;
        }
        return value;
    }

    /** True when this macro was already evaluated for the event in {@code c} (at {@code currentStamp}) and was false. */
    public boolean knownFalse(EvalContext c, long currentStamp) {
        return stamp == currentStamp && ctx == c && !value;
    }
}
