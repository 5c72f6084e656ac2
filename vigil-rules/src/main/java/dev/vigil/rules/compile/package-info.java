/**
 * Compiling collected rules: {@link dev.vigil.rules.compile.ListResolver} expands lists inside lists,
 * {@link dev.vigil.rules.compile.ConditionCompiler} parses conditions, resolves macros (with cycle
 * detection), binds every field through the {@link dev.vigil.rules.fields.FieldCatalog} once, checks each
 * operator against the field's type, derives the set of event types a condition can match
 * ({@link dev.vigil.rules.compile.TypeSet}) and produces an {@link dev.vigil.rules.compile.EventPredicate}.
 * {@link dev.vigil.rules.compile.ExceptionBuilder} turns a rule's {@code exceptions} into conditions.
 *
 * <p>Layer: rules. Runs once per load on one thread. The predicates it produces are immutable but evaluate
 * against a thread-confined {@link dev.vigil.rules.fields.EvalContext}.
 */
package dev.vigil.rules.compile;
