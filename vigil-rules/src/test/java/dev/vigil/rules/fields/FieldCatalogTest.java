package dev.vigil.rules.fields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.engine.StockRules;
import dev.vigil.rules.lang.Expr;
import dev.vigil.rules.lang.Parser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class FieldCatalogTest {
    private final FieldCatalog catalog = FieldCatalog.standard();

    @Test
    void every_field_in_the_table_binds() {
        for (FieldDef d : catalog.all()) {
            String arg = switch (d.arg()) {
                case NONE, INDEX_OR_ANY, KEY_OPTIONAL -> null;
                case INDEX -> "1";
                case KEY -> "name";
            };
            assertThat(catalog.bind(d.name(), arg)).as(d.name()).isNotNull();
        }
    }

    @Test
    void arguments_are_checked() {
        assertThatThrownBy(() -> catalog.bind("proc.name", "1")).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> catalog.bind("proc.aname", "x")).hasMessageContaining("non-negative index");
        assertThatThrownBy(() -> catalog.bind("container.label", null)).hasMessageContaining("needs an argument");
        assertThatThrownBy(() -> catalog.bind("proc.nmae", null)).hasMessageContaining("did you mean 'proc.name'");
        assertThat(catalog.bind("evt.arg.path", null).text()).isEqualTo("evt.arg.path");
    }

    /** Every field any condition (used or not) or output in the three stock files names is in the catalog. */
    @Test
    void catalog_covers_every_field_the_stock_rules_use() throws Exception {
        Set<String> used = new TreeSet<>();
        Pattern outField = Pattern.compile("%([a-zA-Z][a-zA-Z0-9_.]*[a-zA-Z0-9_])(\\[[^\\]]*\\])?");
        for (Path p : List.of(StockRules.falco(), StockRules.incubating(), StockRules.sandbox())) {
            List<Map<String, Object>> items = new Yaml().load(java.nio.file.Files.readString(p));
            for (Map<String, Object> it : items) {
                if (it.get("condition") instanceof String c) collect(Parser.parse(c), used);
                if (it.get("output") instanceof String o) {
                    Matcher m = outField.matcher(o);
                    while (m.find()) used.add(m.group(1));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String f : used) if (catalog.resolve(f, null) == null) missing.add(f);
        assertThat(missing).isEmpty();
        assertThat(used).hasSizeGreaterThan(80);
    }

    private static void collect(Expr e, Set<String> out) {
        switch (e) {
            case Expr.And a -> a.operands().forEach(x -> collect(x, out));
            case Expr.Or o -> o.operands().forEach(x -> collect(x, out));
            case Expr.Not n -> collect(n.operand(), out);
            case Expr.MacroRef m -> { }
            case Expr.Check c -> {
                operand(c.lhs(), out);
                if (c.rhs() instanceof Expr.FieldValue fv) operand(fv.operand(), out);
            }
        }
    }

    private static void operand(Expr.Operand o, Set<String> out) {
        switch (o) {
            case Expr.FieldRef f -> out.add(f.name());
            case Expr.Transform t -> operand(t.arg(), out);
        }
    }
}
