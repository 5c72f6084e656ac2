package dev.vigil.rules.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TypeSetTest {
    private final TypeSet open = TypeSet.of(Set.of("open", "openat"), true);
    private final TypeSet exec = TypeSet.of(Set.of("execve"), true);

    @Test
    void and_or_not() {
        assertThat(open.or(exec).names()).containsExactlyInAnyOrder("open", "openat", "execve");
        assertThat(open.and(exec).names()).isEmpty();
        assertThat(open.and(TypeSet.ALL).names()).containsExactlyInAnyOrder("open", "openat");
        assertThat(open.not().complement()).isTrue();
        assertThat(open.not().contains("execve")).isTrue();
        assertThat(open.not().contains("open")).isFalse();
        assertThat(open.not().and(open.or(exec)).names()).containsExactly("execve");
        assertThat(open.not().or(exec.not()).isAll()).as("complement of the empty intersection").isTrue();
        assertThat(open.not().or(open).contains("anything")).isTrue();
    }

    @Test
    void negating_an_inexact_set_gives_all_types() {
        TypeSet inexact = TypeSet.of(Set.of("open"), false);
        assertThat(inexact.not()).isEqualTo(TypeSet.ALL);
        assertThat(open.and(inexact).exact()).isFalse();
    }
}
