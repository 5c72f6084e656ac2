/**
 * The rule engine's public face: {@link dev.vigil.rules.engine.RuleEngine#load} reads rules files in order
 * and compiles them (problems collected in {@link dev.vigil.rules.engine.RuleEngine#problems()}), indexes the
 * enabled {@link dev.vigil.rules.engine.CompiledRule}s by event type, and exports the syscalls they need
 * ({@link dev.vigil.rules.engine.RuleEngine#syscalls()}) for the seccomp filter;
 * {@link dev.vigil.rules.engine.RuleEngine#evaluate} runs one event against the rules for its type and calls a
 * {@link dev.vigil.rules.engine.MatchSink} per match.
 *
 * <p>Layer: rules; depends on {@code dev.vigil.event}. Imported by the CLI (which wires it to capture and
 * output) and by the response layer (which reads {@link dev.vigil.rules.engine.VigilExtension}).
 *
 * <p>Threading: a {@code RuleEngine} is confined to the thread that evaluates (it owns a reusable
 * {@link dev.vigil.rules.fields.EvalContext} and per-event macro memos); load a second engine for another
 * thread or for hot reload. {@code CompiledRule} metadata is immutable.
 */
package dev.vigil.rules.engine;
