package dev.vigil.rules.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.load.Collected.ListDef;
import dev.vigil.rules.load.ItemKind;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.load.ProblemCode;
import dev.vigil.rules.load.SourceRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListResolverTest {
    private final List<LoadProblem> problems = new ArrayList<>();

    private ListResolver resolver(Object... nameAndItems) {
        Map<String, ListDef> defs = new LinkedHashMap<>();
        for (int i = 0; i < nameAndItems.length; i += 2) {
            String name = (String) nameAndItems[i];
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) nameAndItems[i + 1];
            defs.put(name, new ListDef(name, items, new SourceRef("t.yaml", i + 1, 3, ItemKind.LIST, name)));
        }
        return new ListResolver(defs, problems);
    }

    @Test
    void nested_lists_expand_in_place() {
        ListResolver r = resolver("a", List.of("x", "b", "y"), "b", List.of("p", "c"), "c", List.of("q"));
        assertThat(r.items("a")).containsExactly("x", "p", "q", "y");
        assertThat(r.items("nope")).isNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void quoted_items_are_unquoted() {
        ListResolver r = resolver("nets", List.of("\"10.0.0.0/8\"", "'192.168.0.0/16'", "\"a \\\"b\\\"\"", "plain"));
        assertThat(r.items("nets")).containsExactly("10.0.0.0/8", "192.168.0.0/16", "a \"b\"", "plain");
    }

    @Test
    void cycles_are_reported_once_with_their_path() {
        ListResolver r = resolver("a", List.of("b"), "b", List.of("c", "a"), "c", List.of("z"));
        assertThat(r.items("a")).containsExactly("z");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.LIST_CYCLE);
            assertThat(p.message()).contains("a -> b -> a");
        });
    }
}
