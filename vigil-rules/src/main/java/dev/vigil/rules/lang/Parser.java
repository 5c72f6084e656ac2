package dev.vigil.rules.lang;

import dev.vigil.rules.lang.Expr.And;
import dev.vigil.rules.lang.Expr.Check;
import dev.vigil.rules.lang.Expr.FieldRef;
import dev.vigil.rules.lang.Expr.FieldValue;
import dev.vigil.rules.lang.Expr.ListName;
import dev.vigil.rules.lang.Expr.MacroRef;
import dev.vigil.rules.lang.Expr.Not;
import dev.vigil.rules.lang.Expr.Operand;
import dev.vigil.rules.lang.Expr.Or;
import dev.vigil.rules.lang.Expr.Rhs;
import dev.vigil.rules.lang.Expr.Transform;
import dev.vigil.rules.lang.Expr.Value;
import dev.vigil.rules.lang.Expr.ValueList;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for Falco conditions. Precedence, loosest first: {@code or}, {@code and},
 * {@code not}, then a check ({@code field op value}), a macro name or a parenthesised expression.
 * Keywords and word operators need a blank or '(' after them, as in libsinsp; symbolic operators do not
 * ({@code fd.num>=0}). One instance parses one string; {@link #parse(String)} is the entry point.
 */
public final class Parser {
    private static final int MAX_DEPTH = 1000;
    private static final String[] SYMBOL_OPS = {"<=", ">=", "==", "!=", "=", "<", ">"};

    private final String in;
    private int i;
    private int depth;

    private Parser(String input) {
        this.in = input;
    }

    /** Parses a whole condition; throws {@link ParseException} with the position of the first error. */
    public static Expr parse(String condition) {
        Parser p = new Parser(condition);
        p.blanks();
        if (p.i >= p.in.length()) throw new ParseException(Pos.START, "empty condition");
        Expr e = p.parseOr();
        p.blanks();
        if (p.i < p.in.length()) {
            throw p.error("unexpected '" + p.peekWord() + "': expected 'and', 'or' or the end of the condition");
        }
        return e;
    }

    private Expr parseOr() {
        enter();
        Pos start = here();
        Expr first = parseAnd();
        List<Expr> all = null;
        while (keyword("or")) {
            if (all == null) { all = new ArrayList<>(); all.add(first); }
            all.add(parseAnd());
        }
        depth--;
        return all == null ? first : new Or(start, all);
    }

    private Expr parseAnd() {
        Pos start = here();
        Expr first = parseNot();
        List<Expr> all = null;
        while (keyword("and")) {
            if (all == null) { all = new ArrayList<>(); all.add(first); }
            all.add(parseNot());
        }
        return all == null ? first : new And(start, all);
    }

    private Expr parseNot() {
        blanks();
        Pos start = here();
        if (keyword("not")) {
            enter();
            Expr e = new Not(start, parseNot());
            depth--;
            return e;
        }
        return parseCheck();
    }

    private Expr parseCheck() {
        blanks();
        Pos start = here();
        if (i >= in.length()) throw error("unexpected end of condition: expected a field, a macro or '('");
        if (in.charAt(i) == '(') {
            i++;
            Expr e = parseOr();
            expect(')');
            return e;
        }
        String word = identOrField();
        if (word == null) throw error("unexpected '" + peekWord() + "': expected a field, a macro or '('");
        Transformer t = word.indexOf('.') < 0 && at('(') ? Transformer.ofToken(word) : null;
        if (t != null) {
            i++;
            Operand op = new Transform(start, t, transformerArg());
            return condition(start, op);
        }
        if (word.indexOf('.') < 0) {
            if (at('(')) throw error("unknown transformer '" + word + "'");
            return new MacroRef(start, word);
        }
        return condition(start, fieldRemainder(start, word));
    }

    private Operand transformerArg() {
        blanks();
        Pos start = here();
        String word = identOrField();
        if (word == null) throw error("expected a field or a transformer inside '(...)'");
        Operand arg;
        Transformer t = word.indexOf('.') < 0 && at('(') ? Transformer.ofToken(word) : null;
        if (t != null) {
            i++;
            arg = new Transform(start, t, transformerArg());
        } else if (word.indexOf('.') < 0) {
            throw new ParseException(start, "'" + word + "' is not a field name");
        } else {
            arg = fieldRemainder(start, word);
        }
        blanks();
        expect(')');
        return arg;
    }

    private FieldRef fieldRemainder(Pos start, String name) {
        if (!at('[')) return new FieldRef(start, name, null);
        i++;
        String arg;
        if (at('"') || at('\'')) {
            arg = quoted();
        } else {
            int s = i;
            while (i < in.length() && "[]\"' \t\r\n".indexOf(in.charAt(i)) < 0) i++;
            if (s == i) throw error("empty field argument in '" + name + "[]'");
            arg = in.substring(s, i);
        }
        expect(']');
        return new FieldRef(start, name, arg);
    }

    private Expr condition(Pos start, Operand lhs) {
        blanks();
        Pos opPos = here();
        CmpOp op = operator();
        if (op == null) {
            throw new ParseException(opPos, i >= in.length()
                    ? "unexpected end of condition after '" + render(lhs) + "': expected an operator"
                    : "unknown operator '" + peekWord() + "' after '" + render(lhs) + "'");
        }
        if (op == CmpOp.EXISTS) return new Check(start, lhs, op, null);
        blanks();
        Rhs rhs;
        Pos vpos = here();
        FieldValue fv = fieldValue();
        if (fv != null) {
            rhs = fv;
        } else if (op.takesList()) {
            if (at('(')) {
                rhs = list();
            } else {
                String name = identOrField();
                if (name == null || name.indexOf('.') >= 0) {
                    throw new ParseException(vpos, "'" + op.token() + "' needs a list: '(a, b)' or a list name");
                }
                rhs = new ListName(vpos, name);
            }
        } else {
            rhs = value();
        }
        return new Check(start, lhs, op, rhs);
    }

    /** {@code val(field)} or {@code transformer(...)} on the right side, else null (nothing consumed). */
    private FieldValue fieldValue() {
        int save = i;
        Pos start = here();
        String word = identOrField();
        if (word != null && word.indexOf('.') < 0 && at('(')) {
            if (word.equals("val")) {
                i++;
                blanks();
                Pos fpos = here();
                String f = identOrField();
                if (f == null || f.indexOf('.') < 0) throw new ParseException(fpos, "val() takes a field name");
                FieldRef ref = fieldRemainder(fpos, f);
                blanks();
                expect(')');
                return new FieldValue(start, ref);
            }
            Transformer t = Transformer.ofToken(word);
            if (t != null) {
                i++;
                return new FieldValue(start, new Transform(start, t, transformerArg()));
            }
        }
        i = save;
        return null;
    }

    private ValueList list() {
        Pos start = here();
        expect('(');
        List<Value> items = new ArrayList<>();
        blanks();
        if (at(')')) { i++; return new ValueList(start, items); }
        while (true) {
            blanks();
            items.add(value());
            blanks();
            if (at(',')) { i++; continue; }
            if (at(')')) { i++; return new ValueList(start, items); }
            throw error(i >= in.length() ? "unterminated list: expected ',' or ')'"
                    : "unexpected '" + peekWord() + "' in list: expected ',' or ')'");
        }
    }

    private Value value() {
        Pos start = here();
        if (at('"') || at('\'')) return new Value(start, quoted(), true);
        int s = i;
        while (i < in.length() && " \t\r\n\b(),=\"'".indexOf(in.charAt(i)) < 0) i++;
        if (s == i) {
            throw error(i >= in.length() ? "unexpected end of condition: expected a value"
                    : "unexpected '" + in.charAt(i) + "': expected a value");
        }
        return new Value(start, in.substring(s, i), false);
    }

    private String quoted() {
        Pos start = here();
        char q = in.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (i < in.length()) {
            char c = in.charAt(i++);
            if (c == q) return sb.toString();
            if (c == '\\' && i < in.length() && (in.charAt(i) == q || in.charAt(i) == '\\')) {
                sb.append(in.charAt(i++));
            } else {
                sb.append(c);
            }
        }
        throw new ParseException(start, "unterminated quoted string");
    }

    private CmpOp operator() {
        for (String s : SYMBOL_OPS) {
            if (in.startsWith(s, i)) { i += s.length(); return CmpOp.ofToken(s); }
        }
        int s = i;
        while (i < in.length() && Character.isLetter(in.charAt(i))) i++;
        CmpOp op = CmpOp.ofToken(in.substring(s, i));
        if (op == null || !op.isWord()) { i = s; return null; }
        if (op == CmpOp.EXISTS) {
            if (i < in.length() && !boundary(in.charAt(i))) { i = s; return null; }
            return op;
        }
        if (i < in.length() && !(isBlank(in.charAt(i)) || in.charAt(i) == '(' || in.charAt(i) == '"'
                || in.charAt(i) == '\'')) { i = s; return null; }
        return op;
    }

    /** Lexes an identifier or a dotted field name (segments [a-zA-Z][a-zA-Z0-9_]*), or returns null. */
    private String identOrField() {
        int s = i;
        while (true) {
            if (i >= in.length() || !isAsciiLetter(in.charAt(i))) { i = s; return null; }
            while (i < in.length() && (isAsciiLetter(in.charAt(i)) || isDigit(in.charAt(i)) || in.charAt(i) == '_')) i++;
            if (i + 1 < in.length() && in.charAt(i) == '.' && isAsciiLetter(in.charAt(i + 1))) { i++; continue; }
            return in.substring(s, i);
        }
    }

    private boolean keyword(String kw) {
        blanks();
        if (!in.startsWith(kw, i)) return false;
        int end = i + kw.length();
        if (end < in.length() && !(isBlank(in.charAt(end)) || in.charAt(end) == '(')) return false;
        i = end;
        return true;
    }

    private void expect(char c) {
        blanks();
        if (!at(c)) {
            throw error(i >= in.length() ? "unexpected end of condition: expected '" + c + "'"
                    : "unexpected '" + peekWord() + "': expected '" + c + "'");
        }
        i++;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) throw error("condition nested deeper than " + MAX_DEPTH + " levels");
    }

    private boolean at(char c) { return i < in.length() && in.charAt(i) == c; }

    private void blanks() { while (i < in.length() && isBlank(in.charAt(i))) i++; }

    private Pos here() { return Pos.of(in, i); }

    private ParseException error(String msg) { return new ParseException(here(), msg); }

    private String peekWord() {
        int e = i;
        while (e < in.length() && !isBlank(in.charAt(e)) && e - i < 30) e++;
        return e == i && i < in.length() ? String.valueOf(in.charAt(i)) : in.substring(i, e);
    }

    private static boolean boundary(char c) { return isBlank(c) || c == ')' || c == '('; }

    private static boolean isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\b'; }

    private static boolean isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static String render(Operand o) {
        return switch (o) {
            case FieldRef f -> f.text();
            case Transform t -> t.fn().token() + "(" + render(t.arg()) + ")";
        };
    }
}
