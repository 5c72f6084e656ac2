package dev.vigil.rules.compile;

import dev.vigil.rules.lang.CmpOp;
import dev.vigil.rules.lang.Expr;
import dev.vigil.rules.lang.Pos;
import dev.vigil.rules.load.Item.ExceptionItem;
import dev.vigil.rules.load.ItemKind;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.load.ProblemCode;
import dev.vigil.rules.load.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a rule's {@code exceptions} into one expression that matches when any exception applies: for each
 * value tuple, {@code f1 c1 v1 and f2 c2 v2 ...}; for a single field written as a scalar,
 * {@code f c (values)}. The rule then compiles as {@code (condition) and not (exceptions)}.
 */
public final class ExceptionBuilder {
    private final List<LoadProblem> problems;

    public ExceptionBuilder(List<LoadProblem> problems) {
        this.problems = problems;
    }

    /** The expression for one exception, or null when it has no values or is malformed (reported). */
    public Expr build(String rule, ExceptionItem ex) {
        if (ex.fields().isEmpty()) {
            error(rule, ex, "exception '" + ex.name() + "' has no 'fields'");
            return null;
        }
        List<CmpOp> comps = new ArrayList<>();
        if (ex.comps().isEmpty()) {
            for (int i = 0; i < ex.fields().size(); i++) comps.add(ex.singleField() ? CmpOp.IN : CmpOp.EQ);
        } else {
            for (String s : ex.comps()) {
                CmpOp op = CmpOp.ofToken(s.trim());
                if (op == null || op == CmpOp.EXISTS) {
                    error(rule, ex, "exception '" + ex.name() + "': unknown comparison '" + s + "'");
                    return null;
                }
                comps.add(op);
            }
        }
        if (comps.size() != ex.fields().size()) {
            error(rule, ex, "exception '" + ex.name() + "': " + ex.fields().size() + " fields but " + comps.size() + " comps");
            return null;
        }
        if (ex.values().isEmpty()) return null;
        if (ex.singleField()) {
            return check(ex.fields().getFirst(), comps.getFirst(), ex.values());
        }
        List<Expr> alternatives = new ArrayList<>();
        for (Object tuple : ex.values()) {
            if (!(tuple instanceof List<?> t) || t.size() != ex.fields().size()) {
                error(rule, ex, "exception '" + ex.name() + "': each value must be a list of " + ex.fields().size()
                        + " values (one per field), got " + tuple);
                return null;
            }
            List<Expr> parts = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) parts.add(check(ex.fields().get(i), comps.get(i), t.get(i)));
            alternatives.add(parts.size() == 1 ? parts.getFirst() : new Expr.And(Pos.START, parts));
        }
        return alternatives.size() == 1 ? alternatives.getFirst() : new Expr.Or(Pos.START, alternatives);
    }

    private static Expr check(String field, CmpOp op, Object value) {
        String name = field.trim();
        String arg = null;
        int b = name.indexOf('[');
        if (b > 0 && name.endsWith("]")) {
            arg = name.substring(b + 1, name.length() - 1);
            name = name.substring(0, b);
        }
        Expr.FieldRef ref = new Expr.FieldRef(Pos.START, name, arg);
        Expr.Rhs rhs;
        if (value instanceof List<?> l) {
            List<Expr.Value> items = new ArrayList<>();
            for (Object o : l) items.add(new Expr.Value(Pos.START, String.valueOf(o), false));
            rhs = new Expr.ValueList(Pos.START, items);
        } else if (op.takesList()) {
            rhs = new Expr.ValueList(Pos.START, List.of(new Expr.Value(Pos.START, String.valueOf(value), false)));
        } else {
            rhs = new Expr.Value(Pos.START, String.valueOf(value), true);
        }
        return new Expr.Check(Pos.START, ref, op, rhs);
    }

    private void error(String rule, ExceptionItem ex, String msg) {
        problems.add(new LoadProblem(Severity.ERROR, ProblemCode.BAD_EXCEPTION, msg, ex.where().withItem(ItemKind.RULE, rule), null));
    }
}
