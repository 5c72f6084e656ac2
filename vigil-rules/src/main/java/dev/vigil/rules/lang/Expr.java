package dev.vigil.rules.lang;

import java.util.List;

/**
 * A condition's abstract syntax tree. Sealed: the compiler switches over it exhaustively, so a new node
 * kind fails to compile until every pass handles it.
 */
public sealed interface Expr permits Expr.And, Expr.Or, Expr.Not, Expr.Check, Expr.MacroRef {

    /** Where the node starts in the condition string. */
    Pos pos();

    /** {@code a and b and ...}: two or more operands. */
    record And(Pos pos, List<Expr> operands) implements Expr {
        public And { operands = List.copyOf(operands); }
    }

    /** {@code a or b or ...}: two or more operands. */
    record Or(Pos pos, List<Expr> operands) implements Expr {
        public Or { operands = List.copyOf(operands); }
    }

    /** {@code not a}. */
    record Not(Pos pos, Expr operand) implements Expr {}

    /** A field (or transformed field) compared with a value; {@code rhs} is null for {@code exists}. */
    record Check(Pos pos, Operand lhs, CmpOp op, Rhs rhs) implements Expr {}

    /** A bare identifier: the name of a macro, expanded by the macro resolver. */
    record MacroRef(Pos pos, String name) implements Expr {}

    /** The left side of a check or the argument of {@code val()}: a field or a transformer applied to one. */
    sealed interface Operand permits FieldRef, Transform {
        Pos pos();
    }

    /** A field name and its optional argument ({@code proc.aname[2]}, {@code evt.arg.path}: arg null). */
    record FieldRef(Pos pos, String name, String arg) implements Operand {
        /** The field as written: {@code name} or {@code name[arg]}. */
        public String text() { return arg == null ? name : name + "[" + arg + "]"; }
    }

    /** {@code tolower(x)}, {@code basename(x)}, ... */
    record Transform(Pos pos, Transformer fn, Operand arg) implements Operand {}

    /** The right side of a check. */
    sealed interface Rhs permits Value, ValueList, ListName, FieldValue {
        Pos pos();
    }

    /** One literal: bare or quoted string (numbers are checked against the field's type when compiled). */
    record Value(Pos pos, String text, boolean quoted) implements Rhs {}

    /**
     * A parenthesised list {@code (a, "b", c)}. A bare item naming a list is replaced by that list's items
     * when the list resolver runs (so lists nest).
     */
    record ValueList(Pos pos, List<Value> items) implements Rhs {
        public ValueList { items = List.copyOf(items); }
    }

    /** A list operator followed by a bare list name ({@code proc.name in shell_binaries}). */
    record ListName(Pos pos, String name) implements Rhs {}

    /** {@code val(field)} or a transformer: compare with another field of the same event. */
    record FieldValue(Pos pos, Operand operand) implements Rhs {}
}
