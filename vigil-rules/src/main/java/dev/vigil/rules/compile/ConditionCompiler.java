package dev.vigil.rules.compile;

import dev.vigil.rules.fields.BoundField;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.fields.FieldBindException;
import dev.vigil.rules.fields.FieldCatalog;
import dev.vigil.rules.fields.FieldType;
import dev.vigil.rules.fields.ListExtractor;
import dev.vigil.rules.fields.NumExtractor;
import dev.vigil.rules.fields.StrExtractor;
import dev.vigil.rules.lang.CmpOp;
import dev.vigil.rules.lang.Expr;
import dev.vigil.rules.lang.Expr.And;
import dev.vigil.rules.lang.Expr.Check;
import dev.vigil.rules.lang.Expr.FieldRef;
import dev.vigil.rules.lang.Expr.FieldValue;
import dev.vigil.rules.lang.Expr.ListName;
import dev.vigil.rules.lang.Expr.MacroRef;
import dev.vigil.rules.lang.Expr.Not;
import dev.vigil.rules.lang.Expr.Operand;
import dev.vigil.rules.lang.Expr.Or;
import dev.vigil.rules.lang.Expr.Transform;
import dev.vigil.rules.lang.Expr.Value;
import dev.vigil.rules.lang.Expr.ValueList;
import dev.vigil.rules.lang.ParseException;
import dev.vigil.rules.lang.Parser;
import dev.vigil.rules.lang.Pos;
import dev.vigil.rules.load.Collected.MacroDef;
import dev.vigil.rules.load.Condition;
import dev.vigil.rules.load.ItemKind;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.load.ProblemCode;
import dev.vigil.rules.load.Severity;
import dev.vigil.rules.load.SourceRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles conditions to {@link EventPredicate}s: one exhaustive switch over the {@link Expr} AST, macros
 * expanded as they are met (each macro parsed once; cycles reported), lists expanded, fields bound once,
 * operators checked against field types. Also derives the {@link TypeSet} of each condition. Problems are
 * recorded with the file position of the offending token; compilation continues to find more.
 */
public final class ConditionCompiler {
    /** Fields whose value needs the syscall's result (so capture must see its exit). */
    private static final Set<String> RESULT_FIELDS = Set.of("evt.res", "evt.rawres", "evt.failed", "fd.num",
            "evt.dir", "fd.connected", "evt.arg.res", "evt.arg.fd", "evt.arg.res_or_fd");

    private final FieldCatalog catalog;
    private final ListResolver lists;
    private final Map<String, MacroDef> macros;
    private final TypeIds typeIds;
    private final List<LoadProblem> problems;
    private final Map<String, Expr> parsedMacros = new HashMap<>();
    private final Set<String> badMacros = new HashSet<>();
    private final Set<String> reported = new HashSet<>();
    private final Set<String> usedMacros = new HashSet<>();
    /** Each macro compiled once; its predicate remembers its value for the current event. */
    private final Map<String, CompiledMacro> compiledMacros = new HashMap<>();

    private record CompiledMacro(Node node, Set<String> fields, boolean failed, boolean onlyUnknownField) {}

    public ConditionCompiler(FieldCatalog catalog, ListResolver lists, Map<String, MacroDef> macros, TypeIds typeIds,
                             List<LoadProblem> problems) {
        this.catalog = catalog;
        this.lists = lists;
        this.macros = macros;
        this.typeIds = typeIds;
        this.problems = problems;
    }

    /**
     * What compiling one condition produced. {@code ok} is false when a problem was recorded; {@code guards}
     * are groups of memoized macros of which one must be true (when all of a group are already known false for
     * the event, the rule cannot match); {@code neverBecause} says why the condition can never be true for
     * Vigil's events (null when it can); {@code procNames} is a set proc.name must be in (null: no such test).
     */
    public record Result(EventPredicate predicate, TypeSet types, Set<String> fields, boolean usesResult, boolean ok,
                         boolean unknownFieldOnly, List<Memo[]> guards, String neverBecause, Set<String> procNames) {}

    /** Where the text being compiled came from, for positions in problems. */
    private record Origin(ItemKind kind, String name, Condition cond, Origin parent) {
        String chain() {
            StringBuilder sb = new StringBuilder();
            for (Origin o = parent; o != null; o = o.parent) {
                sb.append(sb.isEmpty() ? " (in " : ", in ").append(o.kind.label()).append(" '").append(o.name).append('\'');
            }
            return sb.isEmpty() ? "" : sb.append(')').toString();
        }
    }

    private final class Unit {
        final Deque<String> macroStack = new ArrayDeque<>();
        final Set<String> fields = new LinkedHashSet<>();
        boolean failed;
        boolean onlyUnknownField = true;

        void problem(Origin o, Pos pos, ProblemCode code, String msg) {
            failed = true;
            if (code != ProblemCode.UNKNOWN_FIELD) onlyUnknownField = false;
            SourceRef where = o.cond.at(pos).withItem(o.kind, o.name);
            String text = msg + o.chain();
            if (o.kind == ItemKind.MACRO && !reported.add(where.position() + "|" + msg)) return;
            problems.add(new LoadProblem(Severity.ERROR, code, text, where, o.cond.snippet(pos)));
        }
    }

    /** Parses every macro once so syntax errors are reported even for unused macros. */
    public void checkMacroSyntax() {
        for (MacroDef m : macros.values()) parseMacro(m);
    }

    /** Names of macros used by compiled rules so far. */
    public Set<String> usedMacros() { return usedMacros; }

    private Expr parseMacro(MacroDef m) {
        if (badMacros.contains(m.name())) return null;
        Expr e = parsedMacros.get(m.name());
        if (e != null) return e;
        try {
            e = Parser.parse(m.condition().text());
            parsedMacros.put(m.name(), e);
            return e;
        } catch (ParseException x) {
            badMacros.add(m.name());
            SourceRef where = m.condition().at(x.pos()).withItem(ItemKind.MACRO, m.name());
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.CONDITION_SYNTAX, x.getMessage(), where,
                    m.condition().snippet(x.pos())));
            return null;
        }
    }

    /** Compiles the condition of item {@code name} of kind {@code kind}. */
    public Result compile(ItemKind kind, String name, Condition cond) {
        Unit u = new Unit();
        Origin o = new Origin(kind, name, cond, null);
        Expr e;
        try {
            e = Parser.parse(cond.text());
        } catch (ParseException x) {
            u.problem(o, x.pos(), ProblemCode.CONDITION_SYNTAX, x.getMessage());
            return new Result(EventPredicate.FALSE, TypeSet.ALL, Set.of(), false, false, false, List.of(), null, null);
        }
        Result r = finish(u, compile(u, o, e), guards(e));
        Set<String> names = r.ok() ? procNames(e, 0) : null;
        return new Result(r.predicate(), r.types(), r.fields(), r.usesResult(), r.ok(), r.unknownFieldOnly(), r.guards(),
                r.neverBecause(), names == null ? null : Set.copyOf(names));
    }

    /**
     * A necessary condition {@code proc.name in S} of {@code e}, or null: found in checks of proc.name with
     * =, in, intersects, through conjunctions, disjunctions whose every branch has one, and macro bodies.
     * The engine uses it to skip, per process name, the rules that cannot match.
     */
    private Set<String> procNames(Expr e, int depth) {
        if (depth > 32) return null;
        return switch (e) {
            case Check c -> {
                if (!(c.lhs() instanceof FieldRef f) || !f.name().equals("proc.name") || f.arg() != null) yield null;
                yield switch (c.op()) {
                    case EQ, EQEQ, IN, INTERSECTS -> switch (c.rhs()) {
                        case Value v -> Set.of(v.text());
                        case ValueList vl -> new java.util.HashSet<>(expand(vl));
                        case ListName ln -> lists.isList(ln.name()) ? new java.util.HashSet<>(lists.items(ln.name())) : null;
                        case FieldValue fv -> null;
                        case null -> null;
                    };
                    default -> null;
                };
            }
            case And a -> {
                Set<String> best = null;
                for (Expr x : a.operands()) {
                    Set<String> s = procNames(x, depth + 1);
                    if (s != null && (best == null || s.size() < best.size())) best = s;
                }
                yield best;
            }
            case Or o -> {
                Set<String> all = new java.util.HashSet<>();
                for (Expr x : o.operands()) {
                    Set<String> s = procNames(x, depth + 1);
                    if (s == null) yield null;
                    all.addAll(s);
                }
                yield all;
            }
            case MacroRef m -> {
                Expr body = parsedMacros.get(m.name());
                yield body == null ? null : procNames(body, depth + 1);
            }
            case Not n -> null;
        };
    }

    /**
     * Necessary conditions of {@code e} that are memoized macros: each guard is a group of macros of which
     * at least one must be true for {@code e} to be true (a macro conjunct, or an {@code or} of macros),
     * collected through conjunctions and into macro bodies.
     */
    private List<Memo[]> guards(Expr e) {
        List<Memo[]> out = new ArrayList<>();
        collectGuards(e, out, 0);
        // the first few are the cheap, shared ones (open_read, spawned_process, container); more cost more to check
        return out.size() > MAX_GUARDS ? out.subList(0, MAX_GUARDS) : out;
    }

    private static final int MAX_GUARDS = 3;

    private void collectGuards(Expr e, List<Memo[]> out, int depth) {
        if (depth > 32 || out.size() >= MAX_GUARDS) return;
        switch (e) {
            case And a -> {
                for (Expr x : a.operands()) collectGuards(x, out, depth + 1);
            }
            case MacroRef m -> {
                Memo memo = memoOf(m.name());
                if (memo == null) return;
                out.add(new Memo[] {memo});
                Expr body = parsedMacros.get(m.name());
                if (body != null) collectGuards(body, out, depth + 1);
            }
            case Or o -> {
                Memo[] any = new Memo[o.operands().size()];
                for (int i = 0; i < any.length; i++) {
                    if (!(o.operands().get(i) instanceof MacroRef m) || (any[i] = memoOf(m.name())) == null) return;
                }
                out.add(any);
            }
            case Not n -> { }
            case Check c -> { }
        }
    }

    private Memo memoOf(String macro) {
        CompiledMacro cm = compiledMacros.get(macro);
        return cm != null && !cm.failed() && cm.node().pred() instanceof Memo memo ? memo : null;
    }

    /** Compiles an already built expression (exceptions), reported at {@code cond}'s position. */
    public Result compile(ItemKind kind, String name, Condition cond, Expr e) {
        Unit u = new Unit();
        return finish(u, compile(u, new Origin(kind, name, cond, null), e), List.of());
    }

    private Result finish(Unit u, Node n, List<Memo[]> guards) {
        boolean usesResult = false;
        for (String f : u.fields) if (RESULT_FIELDS.contains(f)) usesResult = true;
        return new Result(n.pred, n.types, Set.copyOf(u.fields), usesResult, !u.failed, u.failed && u.onlyUnknownField,
                List.copyOf(guards), n.never ? n.why : null, null);
    }

    /**
     * A compiled node: predicate, event types, and whether it is constant for Vigil's events ({@code never}:
     * always false because it compares a field Vigil never fills, with {@code why}; {@code always}: always
     * true). Constants fold through and/or/not, so a rule that can never match is known at load time.
     */
    private record Node(EventPredicate pred, TypeSet types, boolean never, boolean always, String why) {
        Node(EventPredicate pred, TypeSet types) { this(pred, types, false, false, null); }

        static Node neverNode(String why) {
            return new Node(EventPredicate.FALSE, TypeSet.of(Set.of(), true), true, false, why);
        }

        static Node alwaysNode() { return new Node(EventPredicate.TRUE, TypeSet.ALL, false, true, null); }
    }

    private Node compile(Unit u, Origin o, Expr e) {
        return switch (e) {
            case And(var pos, var ops) -> {
                List<EventPredicate> ps = new ArrayList<>();
                TypeSet t = null;
                String never = null;
                for (Expr op : ops) {
                    Node n = compile(u, o, op);
                    if (n.never && never == null) never = n.why;
                    if (n.always) continue;
                    ps.add(n.pred);
                    t = t == null ? n.types : t.and(n.types);
                }
                if (never != null) yield Node.neverNode(never);
                if (ps.isEmpty()) yield Node.alwaysNode();
                yield new Node(EventPredicate.and(ps.toArray(EventPredicate[]::new)), t);
            }
            case Or(var pos, var ops) -> {
                List<EventPredicate> ps = new ArrayList<>();
                TypeSet t = null;
                boolean always = false;
                String why = null;
                for (Expr op : ops) {
                    Node n = compile(u, o, op);
                    if (n.always) always = true;
                    if (n.never) { if (why == null) why = n.why; continue; }
                    ps.add(n.pred);
                    t = t == null ? n.types : t.or(n.types);
                }
                if (always) yield Node.alwaysNode();
                if (ps.isEmpty()) yield Node.neverNode(why);
                yield new Node(EventPredicate.or(ps.toArray(EventPredicate[]::new)), t);
            }
            case Not(var pos, var x) -> {
                Node n = compile(u, o, x);
                if (n.never) yield Node.alwaysNode();
                if (n.always) yield Node.neverNode("negation of a condition that is always true");
                yield new Node(EventPredicate.not(n.pred), n.types.not());
            }
            case MacroRef(var pos, var name) -> macro(u, o, pos, name);
            case Check c -> check(u, o, c);
        };
    }

    private Node macro(Unit u, Origin o, Pos pos, String name) {
        MacroDef m = macros.get(name);
        if (m == null) {
            String hint = lists.isList(name) ? " ('" + name + "' is a list: use it as 'field in (" + name + ")')" : "";
            u.problem(o, pos, ProblemCode.UNDEFINED_MACRO, "undefined macro '" + name + "'" + hint);
            return new Node(EventPredicate.FALSE, TypeSet.ALL);
        }
        if (u.macroStack.contains(name)) {
            List<String> path = new ArrayList<>(u.macroStack).reversed();
            path.add(name);
            u.problem(o, pos, ProblemCode.MACRO_CYCLE, "macro cycle: " + String.join(" -> ", path));
            return new Node(EventPredicate.FALSE, TypeSet.ALL);
        }
        usedMacros.add(name);
        CompiledMacro done = compiledMacros.get(name);
        if (done == null) {
            Expr body = parseMacro(m);
            if (body == null) {
                done = new CompiledMacro(new Node(EventPredicate.FALSE, TypeSet.ALL), Set.of(), true, false);
            } else {
                // compiled once, in a unit of its own (its fields and failures are the macro's), then shared
                Unit inner = new Unit();
                inner.macroStack.addAll(u.macroStack);
                inner.macroStack.push(name);
                Node n = compile(inner, new Origin(ItemKind.MACRO, name, m.condition(), o), body);
                Node shared = n.never || n.always ? n : new Node(new Memo(n.pred), n.types);
                done = new CompiledMacro(shared, Set.copyOf(inner.fields), inner.failed, inner.onlyUnknownField);
            }
            compiledMacros.put(name, done);
        }
        u.fields.addAll(done.fields);
        if (done.failed) {
            u.failed = true;
            if (!done.onlyUnknownField) u.onlyUnknownField = false;
        }
        return done.node;
    }

    /** A bound left side: its extractor(s), its kind for comparisons, its display. */
    private record Lhs(BoundField field, FieldType.Kind kind, String noValue) {
        Lhs(BoundField field, FieldType.Kind kind) { this(field, kind, field.def().filled() ? null : field.text()); }
    }

    private Node check(Unit u, Origin o, Check c) {
        try {
            if (c.lhs() instanceof FieldRef f && isEvtType(f) && c.rhs() != null && !(c.rhs() instanceof FieldValue)) {
                u.fields.add("evt.type");
                return evtType(u, o, c);
            }
            Lhs lhs = operand(u, c.lhs());
            CmpOp op = c.op();
            if (!Comparators.allowed(lhs.kind).contains(op)) {
                throw new CompileError(c.pos(), ProblemCode.BAD_OPERATOR, "operator '" + op.token()
                        + "' cannot be used with field '" + lhs.field.text() + "' of type "
                        + lhs.field.def().type().display() + " (allowed: " + ops(Comparators.allowed(lhs.kind)) + ")");
            }
            if (op == CmpOp.EXISTS) {
                return lhs.noValue != null ? Node.neverNode("field '" + lhs.noValue + "' has no value in Vigil")
                        : new Node(Comparators.exists(lhs.field), TypeSet.ALL);
            }
            Node n = switch (c.rhs()) {
                case FieldValue fv -> new Node(fieldToField(u, lhs, op, fv), TypeSet.ALL);
                case Value v -> new Node(Comparators.compare(lhs.field, lhs.kind, op, List.of(v.text()), v.pos()), TypeSet.ALL);
                case ValueList vl -> new Node(Comparators.compare(lhs.field, lhs.kind, op, expand(vl), vl.pos()), TypeSet.ALL);
                case ListName ln -> new Node(Comparators.compare(lhs.field, lhs.kind, op, listNamed(ln), ln.pos()), TypeSet.ALL);
            };
            // checked and compiled above (so bad values are still reported), then folded: no value is never equal
            if (lhs.noValue != null) return Node.neverNode("field '" + lhs.noValue + "' has no value in Vigil");
            return n;
        } catch (CompileError x) {
            u.problem(o, x.pos == null ? c.pos() : x.pos, x.code, x.getMessage());
            return new Node(EventPredicate.FALSE, TypeSet.ALL);
        }
    }

    private static boolean isEvtType(FieldRef f) { return f.name().equals("evt.type") && f.arg() == null; }

    /** {@code evt.type = x}, {@code != x}, {@code in (...)}: a table lookup by type id, plus the type set. */
    private Node evtType(Unit u, Origin o, Check c) {
        List<String> names = switch (c.rhs()) {
            case Value v -> List.of(v.text());
            case ValueList vl -> expand(vl);
            case ListName ln -> listNamed(ln);
            case FieldValue fv -> throw new IllegalStateException("handled by caller");
        };
        Set<String> set = new LinkedHashSet<>(names);
        for (String n : set) typeIds.intern(n);
        switch (c.op()) {
            case EQ, EQEQ, IN, INTERSECTS -> {
                int[] ids = set.stream().mapToInt(typeIds::intern).toArray();
                return new Node(typeTest(ids), TypeSet.of(set, true));
            }
            case NE -> {
                int[] ids = set.stream().mapToInt(typeIds::intern).toArray();
                EventPredicate in = typeTest(ids);
                return new Node(x -> !in.test(x), new TypeSet(set, true, true));
            }
            default -> {
                BoundField f = catalog.bind("evt.type", null);
                return new Node(Comparators.compare(f, FieldType.Kind.STRING, c.op(), names, c.rhs().pos()), TypeSet.ALL);
            }
        }
    }

    private static EventPredicate typeTest(int[] ids) {
        int max = 0;
        for (int id : ids) max = Math.max(max, id);
        boolean[] table = new boolean[max + 1];
        for (int id : ids) table[id] = true;
        if (ids.length == 1) {
            int only = ids[0];
            return c -> c.typeId() == only;
        }
        return c -> {
            int t = c.typeId();
            return t >= 0 && t < table.length && table[t];
        };
    }

    private List<String> expand(ValueList vl) {
        List<String> out = new ArrayList<>();
        for (Value v : vl.items()) {
            if (!v.quoted() && lists.isList(v.text())) out.addAll(lists.items(v.text()));
            else out.add(v.text());
        }
        return out;
    }

    private List<String> listNamed(ListName ln) {
        if (!lists.isList(ln.name())) {
            throw new CompileError(ln.pos(), ProblemCode.UNDEFINED_LIST, "undefined list '" + ln.name() + "'"
                    + (macros.containsKey(ln.name()) ? " ('" + ln.name() + "' is a macro)" : ""));
        }
        return lists.items(ln.name());
    }

    private Lhs operand(Unit u, Operand op) {
        return switch (op) {
            case FieldRef f -> {
                BoundField b;
                try {
                    b = catalog.bind(f.name(), f.arg());
                } catch (FieldBindException x) {
                    ProblemCode code = catalog.resolve(f.name(), f.arg()) == null ? ProblemCode.UNKNOWN_FIELD : ProblemCode.BAD_VALUE;
                    throw new CompileError(f.pos(), code, x.getMessage());
                }
                u.fields.add(b.text());
                FieldType.Kind kind = b.def().type().kind();
                if (kind == FieldType.Kind.LIST && b.arg() != null) kind = FieldType.Kind.STRING;
                yield new Lhs(b, kind);
            }
            case Transform t -> transform(u, t);
        };
    }

    private Lhs transform(Unit u, Transform t) {
        Lhs in = operand(u, t.arg());
        BoundField f = in.field;
        if (t.fn() == dev.vigil.rules.lang.Transformer.LEN) {
            NumExtractor len;
            if (f.list() != null) {
                ListExtractor l = f.list();
                len = c -> l.size(c);
            } else if (f.str() != null) {
                StrExtractor s = f.str();
                len = c -> {
                    String v = s.get(c);
                    return v == null ? NumExtractor.NO_VALUE : v.length();
                };
            } else {
                throw new CompileError(t.pos(), ProblemCode.BAD_OPERATOR, "len() applies to strings and lists, not to '" + f.text() + "'");
            }
            var def = new dev.vigil.rules.fields.FieldDef("len(" + f.text() + ")", FieldType.INT64, dev.vigil.rules.fields.ArgKind.NONE, true, false, "");
            return new Lhs(BoundField.num(def, null, len), FieldType.Kind.NUMBER, in.noValue);
        }
        if (f.str() == null || !(in.kind == FieldType.Kind.STRING || in.kind == FieldType.Kind.BYTES)) {
            throw new CompileError(t.pos(), ProblemCode.BAD_OPERATOR, t.fn().token() + "() applies to single string fields, not to '"
                    + f.text() + "'");
        }
        StrExtractor s = f.str();
        StrExtractor out = switch (t.fn()) {
            case TOLOWER -> c -> { String v = s.get(c); return v == null ? null : v.toLowerCase(Locale.ROOT); };
            case TOUPPER -> c -> { String v = s.get(c); return v == null ? null : v.toUpperCase(Locale.ROOT); };
            case B64 -> c -> {
                String v = s.get(c);
                if (v == null) return null;
                try { return new String(Base64.getDecoder().decode(v.trim()), StandardCharsets.UTF_8); }
                catch (IllegalArgumentException e) { return null; }
            };
            case BASENAME -> c -> {
                String v = s.get(c);
                if (v == null) return null;
                int i = v.lastIndexOf('/');
                return i < 0 ? v : v.substring(i + 1);
            };
            case LEN -> throw new IllegalStateException("handled above");
        };
        var def = new dev.vigil.rules.fields.FieldDef(t.fn().token() + "(" + f.text() + ")", FieldType.CHARBUF,
                dev.vigil.rules.fields.ArgKind.NONE, true, false, "");
        return new Lhs(BoundField.str(def, null, out), FieldType.Kind.STRING, in.noValue);
    }

    /** {@code a op val(b)} and {@code a op transformer(b)}: both sides read per event. */
    private EventPredicate fieldToField(Unit u, Lhs lhs, CmpOp op, FieldValue fv) {
        Lhs rhs = operand(u, fv.operand());
        boolean lnum = lhs.field.num() != null, rnum = rhs.field.num() != null;
        if (lnum && rnum) {
            NumExtractor a = lhs.field.num(), b = rhs.field.num();
            return switch (op) {
                case EQ, EQEQ, IN, INTERSECTS -> c -> { long x = a.get(c), y = b.get(c); return x != NumExtractor.NO_VALUE && y != NumExtractor.NO_VALUE && x == y; };
                case NE -> c -> { long x = a.get(c), y = b.get(c); return x != NumExtractor.NO_VALUE && y != NumExtractor.NO_VALUE && x != y; };
                case LT -> c -> { long x = a.get(c), y = b.get(c); return x != NumExtractor.NO_VALUE && y != NumExtractor.NO_VALUE && x < y; };
                case LE -> c -> { long x = a.get(c), y = b.get(c); return x != NumExtractor.NO_VALUE && y != NumExtractor.NO_VALUE && x <= y; };
                case GT -> c -> { long x = a.get(c), y = b.get(c); return x != NumExtractor.NO_VALUE && y != NumExtractor.NO_VALUE && x > y; };
                case GE -> c -> { long x = a.get(c), y = b.get(c); return x != NumExtractor.NO_VALUE && y != NumExtractor.NO_VALUE && x >= y; };
                default -> throw new CompileError(fv.pos(), ProblemCode.BAD_OPERATOR, "operator '" + op.token() + "' does not apply to numbers");
            };
        }
        if (lhs.field.str() != null && rhs.field.str() != null) {
            StrExtractor a = lhs.field.str(), b = rhs.field.str();
            return switch (op) {
                case EQ, EQEQ, IN, INTERSECTS -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && x.equals(y); };
                case NE -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && !x.equals(y); };
                case CONTAINS -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && x.contains(y); };
                case ICONTAINS -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && x.toLowerCase(Locale.ROOT).contains(y.toLowerCase(Locale.ROOT)); };
                case STARTSWITH -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && x.startsWith(y); };
                case ENDSWITH -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && x.endsWith(y); };
                case GLOB -> c -> { String x = a.get(c), y = b.get(c); return x != null && y != null && new Glob(y, false).matches(x); };
                default -> throw new CompileError(fv.pos(), ProblemCode.BAD_OPERATOR, "operator '" + op.token() + "' is not supported between two fields");
            };
        }
        throw new CompileError(fv.pos(), ProblemCode.BAD_OPERATOR, "cannot compare '" + lhs.field.text() + "' ("
                + lhs.field.def().type().display() + ") with '" + rhs.field.text() + "' (" + rhs.field.def().type().display() + ")");
    }

    private static String ops(Set<CmpOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (CmpOp op : ops) {
            if (op == CmpOp.EQEQ) continue;
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(op.token());
        }
        return sb.toString();
    }

    /** For tests and tools: binds {@code field} and returns its value rendered for {@code c}. */
    public String render(String field, EvalContext c) {
        return catalog.bind(field, null).render(c);
    }
}
