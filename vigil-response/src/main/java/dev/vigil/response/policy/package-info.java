/**
 * The policy file ({@code vigil run --policy FILE}): which rules do what in which scope. {@link
 * dev.vigil.response.policy.Policy} loads and validates it once at start and answers {@code planFor(rule,
 * workload)} with an immutable {@link dev.vigil.response.policy.ResponsePlan}; safe to share between threads.
 * Used by the responder and the CLI; depends on the rules layer for rules, scopes and the action syntax.
 */
package dev.vigil.response.policy;
