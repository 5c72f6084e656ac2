package dev.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.load.LoadProblem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StockRulesLoadTest {

    private static RuleEngine load(Path... files) {
        RuleEngine e = RuleEngine.load(List.of(files), RuleOptions.defaults());
        for (LoadProblem p : e.problems()) System.out.println(p.format());
        return e;
    }

    @Test
    void falco_rules_load_without_errors() {
        RuleEngine e = load(StockRules.falco());
        assertThat(e.errors()).isEmpty();
        assertThat(e.rules()).hasSize(25);
    }

    @Test
    void incubating_rules_load_without_errors() {
        RuleEngine e = load(StockRules.incubating());
        assertThat(e.errors()).isEmpty();
        assertThat(e.rules()).hasSize(31);
    }

    @Test
    void sandbox_rules_load_without_errors() {
        RuleEngine e = load(StockRules.sandbox());
        assertThat(e.errors()).isEmpty();
        assertThat(e.rules()).hasSize(37);
    }

    @Test
    void all_three_load_together_without_errors() {
        long t0 = System.nanoTime();
        RuleEngine e = load(StockRules.falco(), StockRules.incubating(), StockRules.sandbox());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("loaded " + e.rules().size() + " rules in " + ms + " ms; syscalls " + e.syscalls());
        assertThat(e.errors()).isEmpty();
        assertThat(e.rules()).hasSize(93);
        assertThat(e.syscalls()).contains("execve", "openat", "connect");
    }
}
