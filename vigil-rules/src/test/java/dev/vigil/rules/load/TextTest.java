package dev.vigil.rules.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.lang.Pos;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions inside plain, quoted, folded and literal scalars map back onto the file. */
class TextTest {

    private static Text condition(String yaml) {
        List<LoadProblem> problems = new ArrayList<>();
        List<Item> items = new RuleReader(problems).read("t.yaml", yaml);
        assertThat(problems).isEmpty();
        return ((Item.MacroItem) items.getFirst()).condition();
    }

    @Test
    void plain_scalar() {
        Text t = condition("- macro: m\n  condition: proc.name = bash\n");
        assertThat(t.at(Pos.of(t.value(), 12))).extracting(SourceRef::line, SourceRef::col).containsExactly(2, 26);
    }

    @Test
    void double_quoted_scalar() {
        Text t = condition("- macro: m\n  condition: \"proc.name = 'a b'\"\n");
        assertThat(t.at(Pos.of(t.value(), 12))).extracting(SourceRef::line, SourceRef::col).containsExactly(2, 27);
    }

    @Test
    void folded_block_scalar() {
        Text t = condition("- macro: m\n  condition: >\n    evt.type = execve\n    and proc.name = bash\n");
        int off = t.value().indexOf("proc");
        assertThat(t.at(Pos.of(t.value(), off))).extracting(SourceRef::line, SourceRef::col).containsExactly(4, 9);
    }

    @Test
    void literal_block_scalar_and_end_of_text() {
        Text t = condition("- macro: m\n  condition: |\n    evt.type = execve and\n      (proc.name = bash\n");
        Pos end = Pos.of(t.value(), t.value().length());
        assertThat(t.at(end)).extracting(SourceRef::line, SourceRef::col).containsExactly(4, 24);
    }
}
