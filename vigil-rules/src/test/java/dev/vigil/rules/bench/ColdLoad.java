package dev.vigil.rules.bench;

import dev.vigil.rules.engine.RuleEngine;
import dev.vigil.rules.engine.RuleOptions;

/** Time to load the three stock files in a fresh JVM (what a sensor pays at start). */
public final class ColdLoad {
    private ColdLoad() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        RuleEngine e = RuleEngine.load(RuleEvalBenchmark.stockFiles(), RuleOptions.defaults());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("cold load: " + e.rules().size() + " rules, " + e.errors().size() + " errors, " + ms + " ms");
    }
}
