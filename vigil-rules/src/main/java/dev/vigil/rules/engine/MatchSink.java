package dev.vigil.rules.engine;

import dev.vigil.rules.fields.EvalContext;

/**
 * Receives matches from {@link RuleEngine#evaluate}, on the evaluating thread, while {@code ctx} still holds
 * the event: format what you need now (e.g. {@code AlertFormatter.alert(rule, ctx)}), do not keep ctx.
 */
@FunctionalInterface
public interface MatchSink {
    void onMatch(CompiledRule rule, EvalContext ctx);
}
