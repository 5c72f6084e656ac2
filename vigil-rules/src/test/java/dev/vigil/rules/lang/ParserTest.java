package dev.vigil.rules.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.lang.Expr.And;
import dev.vigil.rules.lang.Expr.Check;
import dev.vigil.rules.lang.Expr.FieldRef;
import dev.vigil.rules.lang.Expr.FieldValue;
import dev.vigil.rules.lang.Expr.ListName;
import dev.vigil.rules.lang.Expr.MacroRef;
import dev.vigil.rules.lang.Expr.Not;
import dev.vigil.rules.lang.Expr.Or;
import dev.vigil.rules.lang.Expr.Transform;
import dev.vigil.rules.lang.Expr.Value;
import dev.vigil.rules.lang.Expr.ValueList;
import org.junit.jupiter.api.Test;

class ParserTest {

    @Test
    void and_binds_tighter_than_or() {
        Expr e = Parser.parse("a or b and c");
        assertThat(e).isInstanceOf(Or.class);
        Or or = (Or) e;
        assertThat(or.operands().get(0)).isEqualTo(new MacroRef(new Pos(0, 1, 1), "a"));
        assertThat(or.operands().get(1)).isInstanceOf(And.class);
    }

    @Test
    void not_applies_to_the_next_check_only() {
        And and = (And) Parser.parse("not a and b");
        assertThat(and.operands().get(0)).isInstanceOf(Not.class);
        assertThat(and.operands().get(1)).isInstanceOf(MacroRef.class);
    }

    @Test
    void parentheses_and_keywords_glued_to_them() {
        Expr e = Parser.parse("not(a)and(b or c)");
        assertThat(e).isInstanceOf(And.class);
        assertThat(((And) e).operands().get(1)).isInstanceOf(Or.class);
    }

    @Test
    void symbolic_operators_need_no_blanks() {
        Check c = (Check) Parser.parse("fd.num>=0");
        assertThat(c.op()).isEqualTo(CmpOp.GE);
        assertThat(((Value) c.rhs()).text()).isEqualTo("0");
        assertThat(((Check) Parser.parse("evt.dir=<")).rhs()).isEqualTo(new Value(new Pos(8, 1, 9), "<", false));
    }

    @Test
    void every_operator_parses() {
        for (CmpOp op : CmpOp.values()) {
            String cond = switch (op) {
                case EXISTS -> "proc.name exists";
                case IN, INTERSECTS, PMATCH -> "proc.name " + op.token() + " (a, b)";
                default -> "proc.name " + op.token() + " x";
            };
            assertThat(((Check) Parser.parse(cond)).op()).as(cond).isEqualTo(op);
        }
    }

    @Test
    void lists_hold_bare_and_quoted_items_and_may_be_empty() {
        Check c = (Check) Parser.parse("proc.name in (bash, \"my shell\", 'x y', shell_binaries)");
        ValueList l = (ValueList) c.rhs();
        assertThat(l.items()).extracting(Value::text).containsExactly("bash", "my shell", "x y", "shell_binaries");
        assertThat(l.items()).extracting(Value::quoted).containsExactly(false, true, true, false);
        assertThat(((ValueList) ((Check) Parser.parse("proc.name in ()")).rhs()).items()).isEmpty();
    }

    @Test
    void list_operator_takes_a_bare_list_name() {
        Check c = (Check) Parser.parse("proc.name in shell_binaries");
        assertThat(c.rhs()).isInstanceOf(ListName.class);
    }

    @Test
    void quoted_strings_unescape_their_quote() {
        Check c = (Check) Parser.parse("proc.cmdline = \"say \\\"hi\\\"\"");
        assertThat(((Value) c.rhs()).text()).isEqualTo("say \"hi\"");
    }

    @Test
    void indexed_and_keyed_fields() {
        Check c = (Check) Parser.parse("proc.aname[2] = bash");
        assertThat(c.lhs()).isEqualTo(new FieldRef(new Pos(0, 1, 1), "proc.aname", "2"));
        Check m = (Check) Parser.parse("container.mount.dest[/var/run/docker.sock] exists");
        assertThat(((FieldRef) m.lhs()).arg()).isEqualTo("/var/run/docker.sock");
        Check a = (Check) Parser.parse("evt.arg.flags contains O_TRUNC");
        assertThat(((FieldRef) a.lhs()).name()).isEqualTo("evt.arg.flags");
    }

    @Test
    void transformers_nest_and_val_compares_fields() {
        Check c = (Check) Parser.parse("toupper(basename(proc.exepath)) = BASH");
        Transform t = (Transform) c.lhs();
        assertThat(t.fn()).isEqualTo(Transformer.TOUPPER);
        assertThat(((Transform) t.arg()).fn()).isEqualTo(Transformer.BASENAME);
        Check v = (Check) Parser.parse("proc.name = val(proc.pname)");
        assertThat(((FieldValue) v.rhs()).operand()).isEqualTo(new FieldRef(new Pos(16, 1, 17), "proc.pname", null));
        Check l = (Check) Parser.parse("len(proc.args) > 100");
        assertThat(((Transform) l.lhs()).fn()).isEqualTo(Transformer.LEN);
    }

    @Test
    void positions_count_lines_and_columns() {
        Or or = (Or) Parser.parse("a or\n  proc.name = x");
        assertThat(or.operands().get(1).pos()).isEqualTo(new Pos(7, 2, 3));
    }

    @Test
    void errors_carry_the_position_of_the_offending_token() {
        assertThatThrownBy(() -> Parser.parse("proc.name = bash and"))
                .isInstanceOf(ParseException.class).hasMessageContaining("unexpected end");
        ParseException e = catchParse("proc.name bogus x");
        assertThat(e.pos().col()).isEqualTo(11);
        assertThat(e.getMessage()).contains("unknown operator 'bogus'");
        assertThat(catchParse("(a or b").getMessage()).contains("expected ')'");
        assertThat(catchParse("proc.name in (a, b").getMessage()).contains("unterminated list");
        assertThat(catchParse("proc.name = \"open").getMessage()).contains("unterminated quoted string");
        assertThat(catchParse("a b").getMessage()).contains("unexpected 'b'");
        assertThat(catchParse("").getMessage()).contains("empty condition");
        assertThat(catchParse("frobnicate(proc.name) = x").getMessage()).contains("unknown transformer");
    }

    private static ParseException catchParse(String s) {
        try {
            Parser.parse(s);
        } catch (ParseException e) {
            return e;
        }
        throw new AssertionError("parsed: " + s);
    }
}
