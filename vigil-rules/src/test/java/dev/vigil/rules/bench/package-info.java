/**
 * JMH benchmarks of the rule engine (module-local until a vigil-bench module exists). Run
 * {@link dev.vigil.rules.bench.RuleEvalBenchmark#main} with the test classpath; see docs/RULES.md.
 */
package dev.vigil.rules.bench;
