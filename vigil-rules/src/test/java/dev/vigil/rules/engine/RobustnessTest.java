package dev.vigil.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.lang.ParseException;
import dev.vigil.rules.lang.Parser;
import dev.vigil.rules.testing.TestEngine;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated stock rules never make the parser or the loader throw: bad input only ever gives problems. */
class RobustnessTest {
    private static final String NOISE = " ()[]'\",=<>!:-\n\t%abz019.";

    private static String mutate(String s, Random r) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0, n = 1 + r.nextInt(4); i < n && !sb.isEmpty(); i++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
                default -> sb.setCharAt(at, NOISE.charAt(r.nextInt(NOISE.length())));
            }
        }
        return sb.toString();
    }

    @Test
    void the_parser_only_ever_throws_parse_exceptions() throws Exception {
        long seed = Long.getLong("vigil.seed", System.nanoTime());
        Random r = new Random(seed);
        String text = Files.readString(StockRules.falco());
        List<String> conditions = text.lines().filter(l -> l.trim().startsWith("condition:"))
                .map(l -> l.substring(l.indexOf(':') + 1)).toList();
        for (int i = 0; i < 5000; i++) {
            String c = mutate(conditions.get(r.nextInt(conditions.size())), r);
            try {
                Parser.parse(c);
            } catch (ParseException expected) {
                assertThat(expected.pos().offset()).as("seed %d: %s", seed, c).isBetween(0, c.length());
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("seed " + seed + ": parser threw " + e + " on: " + c, e);
            }
        }
    }

    @Test
    void the_loader_never_throws_on_mutated_files() throws Exception {
        long seed = Long.getLong("vigil.seed", System.nanoTime());
        Random r = new Random(seed);
        String text = Files.readString(StockRules.falco());
        for (int i = 0; i < 30; i++) {
            int from = r.nextInt(text.length() - 3000);
            from = text.indexOf("\n- ", from) + 1;
            String chunk = mutate(text.substring(from, from + 2500), r);
            try {
                RuleEngine e = RuleEngine.loadSources(List.of(RulesSource.text("m.yaml", chunk)), TestEngine.options());
                assertThat(e.problems()).allSatisfy(p -> assertThat(p.where().line()).isPositive());
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": loader threw " + e + " on:\n" + chunk, e);
            }
        }
    }
}
