/**
 * Reading rules files: {@link dev.vigil.rules.load.RuleReader} turns each YAML file into typed items with
 * their positions; {@link dev.vigil.rules.load.RuleCollector} applies them in order (definitions, later
 * files replacing earlier ones, {@code append}, {@code override}, {@code enabled}); problems are collected as
 * {@link dev.vigil.rules.load.LoadProblem}s pointing at file:line:col, never thrown at the first.
 *
 * <p>Layer: rules (first passes). Depends on SnakeYAML and {@code dev.vigil.rules.lang}. Used once per load,
 * on one thread; results are immutable.
 */
package dev.vigil.rules.load;
