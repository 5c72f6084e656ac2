package dev.vigil.rules.engine;

/** Whether an event produces an alert for the first matching rule only (Falco's default) or for every one. */
public enum RuleMatching { FIRST, ALL }
