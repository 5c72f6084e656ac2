package dev.vigil.rules.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void examples() {
        assertThat(new Glob("/proc/*/environ", false).matches("/proc/1/environ")).isTrue();
        assertThat(new Glob("/proc/*/environ", false).matches("/proc/self/task/1/environ")).as("* spans /").isTrue();
        assertThat(new Glob("/home/*/.ssh/*", false).matches("/home/bob/.ssh/id_rsa")).isTrue();
        assertThat(new Glob("a?c", false).matches("abc")).isTrue();
        assertThat(new Glob("a?c", false).matches("ac")).isFalse();
        assertThat(new Glob("[!a]*", false).matches("bcd")).isTrue();
        assertThat(new Glob("[]x]", false).matches("]")).isTrue();
        assertThat(new Glob("a\\*", false).matches("a*")).isTrue();
        assertThat(new Glob("a\\*", false).matches("ab")).isFalse();
        assertThat(new Glob("*", false).matches("")).isTrue();
        assertThat(new Glob("ABC*", true).matches("abcdef")).isTrue();
    }

    /** Random patterns over a small alphabet agree with the equivalent regular expression. */
    @Test
    void agrees_with_a_regex_translation_on_random_inputs() {
        long seed = Long.getLong("vigil.seed", System.nanoTime());
        Random r = new Random(seed);
        String alphabet = "ab/.";
        for (int n = 0; n < 5000; n++) {
            StringBuilder pat = new StringBuilder();
            StringBuilder rx = new StringBuilder();
            for (int i = 0, len = r.nextInt(6); i < len; i++) {
                int k = r.nextInt(6);
                if (k == 0) { pat.append('*'); rx.append(".*"); }
                else if (k == 1) { pat.append('?'); rx.append('.'); }
                else if (k == 2) { pat.append("[a/]"); rx.append("[a/]"); }
                else { char c = alphabet.charAt(r.nextInt(alphabet.length())); pat.append(c); rx.append(Pattern.quote(String.valueOf(c))); }
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0, len = r.nextInt(7); i < len; i++) s.append(alphabet.charAt(r.nextInt(alphabet.length())));
            boolean expected = Pattern.compile(rx.toString(), Pattern.DOTALL).matcher(s).matches();
            assertThat(new Glob(pat.toString(), false).matches(s.toString()))
                    .as("seed %d: glob '%s' on '%s'", seed, pat, s).isEqualTo(expected);
        }
    }
}
