package dev.vigil.rules.engine;

import dev.vigil.event.Event;
import dev.vigil.rules.compile.ConditionCompiler;
import dev.vigil.rules.compile.EventPredicate;
import dev.vigil.rules.compile.ExceptionBuilder;
import dev.vigil.rules.compile.ListResolver;
import dev.vigil.rules.compile.TypeIds;
import dev.vigil.rules.compile.TypeSet;
import dev.vigil.rules.fields.EvalContext;
import dev.vigil.rules.lang.Expr;
import dev.vigil.rules.lang.Pos;
import dev.vigil.rules.load.Collected;
import dev.vigil.rules.load.Collected.RuleDef;
import dev.vigil.rules.load.Condition;
import dev.vigil.rules.load.Item;
import dev.vigil.rules.load.Item.ExceptionItem;
import dev.vigil.rules.load.ItemKind;
import dev.vigil.rules.load.LoadProblem;
import dev.vigil.rules.load.ProblemCode;
import dev.vigil.rules.load.RuleCollector;
import dev.vigil.rules.load.RuleReader;
import dev.vigil.rules.load.Severity;
import dev.vigil.rules.load.SourceRef;
import dev.vigil.rules.load.Text;
import dev.vigil.rules.output.OutputTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule engine: loads rules files ({@link #load}), then evaluates events ({@link #evaluate}) against the
 * rules whose event types include the event's, in load order. Loading never throws for bad rules: every
 * problem is in {@link #problems()}, and rules with errors are left out.
 *
 * <p>Threading: an engine is confined to one thread (it owns the {@link EvalContext} it evaluates with).
 * Build one per evaluating thread, or a new one for hot reload, beside the old.
 */
public final class RuleEngine {
    /** Event type names that are not syscalls (excluded from {@link #syscalls()}). */
    private static final Set<String> NON_SYSCALLS = Set.of("procexit", "sensor", "container", "signaldeliver",
            "switch", "procinfo", "pluginevent", "asyncevent", "notification", "k8s", "mesos", "drop", "infra",
            "scapevent", "cpu_hotplug", "page_fault");

    private final RuleOptions options;
    private final List<LoadProblem> problems;
    private final List<CompiledRule> rules;
    private final TypeIds typeIds;
    private final CompiledRule[][] byType;
    private final CompiledRule[] anyType;
    private final CompiledRule[] connectResult;
    /** Per type id: process name to the rules that can match it (null when no rule of the type names one). */
    private final List<java.util.Map<String, CompiledRule[]>> byName;
    /** Per type id: the rules that constrain no process name (for names no rule names). */
    private final CompiledRule[][] unnamed;
    private final int connectId;
    private final EvalContext ctx;
    private final boolean firstOnly;
    private final Set<String> syscalls;
    private final Set<String> resultSyscalls;
    private final Set<String> eventTypes;
    private final boolean needsAll;
    private final boolean needsDnsNames;
    private final boolean needsWrittenFiles;
    private long evaluationErrors;
    /**
     * Per type id: the enforcing rules an attempt of that syscall runs (empty when not judged); those rules run
     * only on attempts, never in {@link #evaluate}.
     */
    private CompiledRule[][] attemptRules;
    private boolean anyActing;

    private RuleEngine(RuleOptions options, List<LoadProblem> problems, List<CompiledRule> rules, TypeIds typeIds) {
        this.options = options;
        this.problems = List.copyOf(problems);
        this.rules = List.copyOf(rules);
        this.typeIds = typeIds;
        this.ctx = new EvalContext(options.users(), options.hostname());
        this.firstOnly = options.matching() == RuleMatching.FIRST;
        List<CompiledRule> any = new ArrayList<>();
        List<List<CompiledRule>> per = new ArrayList<>();
        for (int i = 0; i < typeIds.size(); i++) per.add(new ArrayList<>());
        Set<String> sys = new TreeSet<>();
        Set<String> res = new TreeSet<>();
        Set<String> types = new TreeSet<>();
        boolean all = false, dnsNames = false, writtenFiles = false;
        for (CompiledRule r : rules) {
            if (!r.enabled() || r.neverMatches() != null) continue;
            dnsNames |= r.usesDnsNames;
            writtenFiles |= r.usesWrittenFiles;
            TypeSet t = r.eventTypes();
            if (t.complement()) {
                all = true;
                any.add(r);
                for (int i = 0; i < typeIds.size(); i++) if (t.contains(typeIds.name(i))) per.get(i).add(r);
                continue;
            }
            for (String n : t.names()) {
                per.get(typeIds.intern(n)).add(r);
                types.add(n);
                if (!NON_SYSCALLS.contains(n)) {
                    sys.add(n);
                    if (r.usesResult()) res.add(n);
                }
            }
        }
        this.byType = new CompiledRule[per.size()][];
        for (int i = 0; i < per.size(); i++) {
            List<CompiledRule> l = per.get(i);
            l.sort((a, b) -> Integer.compare(a.order, b.order));
            byType[i] = l.toArray(CompiledRule[]::new);
        }
        this.anyType = any.toArray(CompiledRule[]::new);
        this.byName = new ArrayList<>(Collections.nCopies(byType.length, null));
        this.unnamed = new CompiledRule[byType.length][];
        for (int i = 0; i < byType.length; i++) indexByName(i);
        this.connectId = typeIds.id("connect");
        this.connectResult = connectId < 0 ? new CompiledRule[0]
                : java.util.Arrays.stream(byType[connectId]).filter(CompiledRule::usesResult).toArray(CompiledRule[]::new);
        this.syscalls = Collections.unmodifiableSet(sys);
        this.resultSyscalls = Collections.unmodifiableSet(res);
        this.eventTypes = Collections.unmodifiableSet(types);
        this.needsAll = all;
        this.needsDnsNames = dnsNames;
        this.needsWrittenFiles = writtenFiles;
    }

    /**
     * Secondary index for one event type: when at least a few of its rules require {@code proc.name} in a set,
     * map each such name to the rules (in load order) that can match a process of that name.
     */
    private void indexByName(int type) {
        CompiledRule[] rules = byType[type];
        int named = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (CompiledRule r : rules) {
            if (r.procNames != null) { named++; names.addAll(r.procNames); }
        }
        if (named < 4) return;
        java.util.Map<String, CompiledRule[]> map = new java.util.HashMap<>();
        for (String n : names) {
            map.put(n, java.util.Arrays.stream(rules).filter(r -> r.procNames == null || r.procNames.contains(n))
                    .toArray(CompiledRule[]::new));
        }
        byName.set(type, map);
        unnamed[type] = java.util.Arrays.stream(rules).filter(r -> r.procNames == null).toArray(CompiledRule[]::new);
    }

    /** Loads rules files in order (later files amend earlier ones). */
    public static RuleEngine load(List<Path> files, RuleOptions options) {
        return loadSources(files.stream().map(RulesSource::file).toList(), options);
    }

    /** Loads rules from files or in-memory texts, in order. */
    public static RuleEngine loadSources(List<RulesSource> sources, RuleOptions options) {
        List<LoadProblem> problems = new ArrayList<>();
        RuleReader reader = new RuleReader(problems);
        RuleCollector collector = new RuleCollector(problems);
        for (RulesSource s : sources) {
            List<Item> items = s.path() != null ? reader.read(s.path()) : reader.read(s.name(), s.text());
            collector.add(items);
        }
        Collected c = collector.result();
        TypeIds ids = new TypeIds();
        ListResolver lists = new ListResolver(c.lists(), problems);
        ConditionCompiler cc = new ConditionCompiler(options.catalog(), lists, c.macros(), ids, problems);
        cc.checkMacroSyntax();
        ExceptionBuilder exb = new ExceptionBuilder(problems);
        List<CompiledRule> out = new ArrayList<>();
        int order = 0;
        for (RuleDef r : c.rules().values()) {
            CompiledRule cr = compileRule(r, options, cc, exb, problems, order++);
            if (cr != null) out.add(cr);
        }
        return new RuleEngine(options, problems, out, ids);
    }

    private static CompiledRule compileRule(RuleDef r, RuleOptions o, ConditionCompiler cc, ExceptionBuilder exb,
                                            List<LoadProblem> problems, int order) {
        int before = problems.size();
        Priority prio = Priority.parse(r.priority());
        if (prio == null) {
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.BAD_PRIORITY, "invalid priority '" + r.priority()
                    + "' (use one of emergency, alert, critical, error, warning, notice, informational, debug)",
                    r.priorityWhere(), null));
        }
        ConditionCompiler.Result res = cc.compile(ItemKind.RULE, r.name(), r.condition());
        EventPredicate pred = res.predicate();
        boolean ok = res.ok();
        if (!res.ok() && r.skipIfUnknownFilter() && res.unknownFieldOnly()) {
            for (int i = before; i < problems.size(); i++) {
                LoadProblem p = problems.get(i);
                problems.set(i, new LoadProblem(Severity.WARNING, ProblemCode.RULE_SKIPPED,
                        p.message() + " (skip-if-unknown-filter: rule skipped)", p.where(), p.snippet()));
            }
            return null;
        }
        List<EventPredicate> excs = new ArrayList<>();
        for (ExceptionItem ex : r.exceptions()) {
            Expr e = exb.build(r.name(), ex);
            if (e == null) continue; // no values (matches nothing), or malformed: reported, and caught below
            Condition where = Condition.of(Text.synthetic("exception " + ex.name(), ex.where().withItem(ItemKind.RULE, r.name())));
            ConditionCompiler.Result er = cc.compile(ItemKind.RULE, r.name(), where, e);
            ok &= er.ok();
            excs.add(er.predicate());
        }
        if (!excs.isEmpty()) {
            EventPredicate any = EventPredicate.or(excs.toArray(EventPredicate[]::new));
            pred = EventPredicate.and(new EventPredicate[] {pred, EventPredicate.not(any)});
        }
        List<OutputTemplate.Problem> outProblems = new ArrayList<>();
        OutputTemplate tpl = OutputTemplate.compile(r.output().text(), o.catalog(), outProblems);
        for (OutputTemplate.Problem p : outProblems) {
            String text = r.output().text();
            int off = Math.min(p.offset() + (text.length() - text.stripLeading().length()), text.length());
            Pos pos = Pos.of(text, off);
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.BAD_OUTPUT, "in output: " + p.message(),
                    r.output().at(pos).withItem(ItemKind.RULE, r.name()), r.output().snippet(pos)));
        }
        VigilExtension vx = parseVigil(r, problems);
        if (prio == null || !ok || !outProblems.isEmpty() || hasErrorSince(problems, before)) return null;
        if (res.neverBecause() != null) {
            problems.add(new LoadProblem(Severity.WARNING, ProblemCode.NEVER_MATCHES, "can never match Vigil's events: "
                    + res.neverBecause() + "; loaded but not evaluated", r.where(), null));
        } else if ((res.types().isAll() || res.types().complement()) && r.warnEvttypes()) {
            problems.add(new LoadProblem(Severity.WARNING, ProblemCode.NO_EVTTYPE, "condition does not restrict evt.type:"
                    + " the rule is evaluated on every event and adds no syscall to the capture filter",
                    r.where(), null));
        }
        boolean enabled = r.enabled() && filtersAllow(r, prio, o);
        if (matchesAny(r.name(), o.enabledRules())) enabled = true;
        return new CompiledRule(r.name(), r.desc() == null ? "" : r.desc().strip(), prio, r.tags(), tpl, pred,
                res.types(), enabled, res.usesResult(), vx, r.where(), order, res.guards(), res.neverBecause(), res.procNames(),
                res.fields().stream().anyMatch(DNS_NAME_FIELDS::contains),
                res.fields().stream().anyMatch(WRITTEN_FILE_FIELDS::contains));
    }

    /** Fields whose values come from the files the workload wrote earlier ({@code WrittenFiles}). */
    private static final Set<String> WRITTEN_FILE_FIELDS = Set.of("proc.is_exe_upper_layer");

    /** Fields whose values come from DNS answers seen earlier in the workload. */
    private static final Set<String> DNS_NAME_FIELDS = Set.of("fd.sip.name", "fd.cip.name", "fd.lip.name", "fd.rip.name");

    private static boolean hasErrorSince(List<LoadProblem> problems, int from) {
        for (int i = from; i < problems.size(); i++) if (problems.get(i).isError()) return true;
        return false;
    }

    private static boolean filtersAllow(RuleDef r, Priority prio, RuleOptions o) {
        if (!prio.atLeast(o.minPriority())) return false;
        if (matchesAny(r.name(), o.disabledRules())) return false;
        for (String t : r.tags()) if (o.disabledTags().contains(t)) return false;
        if (!o.enabledTags().isEmpty()) {
            boolean any = false;
            for (String t : r.tags()) if (o.enabledTags().contains(t)) any = true;
            if (!any) return false;
        }
        return true;
    }

    private static boolean matchesAny(String name, Set<String> patterns) {
        for (String p : patterns) {
            if (p.equals(name) || new dev.vigil.rules.compile.Glob(p, false).matches(name)) return true;
        }
        return false;
    }

    private static VigilExtension parseVigil(RuleDef r, List<LoadProblem> problems) {
        if (r.vigil() == null) return null;
        List<VigilExtension.Action> actions = new ArrayList<>();
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        SourceRef where = r.where();
        for (var e : r.vigil().entrySet()) {
            switch (e.getKey()) {
                case "actions" -> {
                    List<?> l = e.getValue() instanceof List<?> x ? x : List.of(e.getValue());
                    for (Object a : l) {
                        try {
                            actions.add(ResponseSyntax.action(a));
                        } catch (ResponseSyntax.Invalid bad) {
                            problems.add(vigilError("vigil.actions: " + bad.getMessage(), where));
                        }
                    }
                    String conflict = ResponseSyntax.conflict(actions);
                    if (conflict != null) problems.add(vigilError("vigil.actions: " + conflict, where));
                }
                case "scope" -> {
                    if (!(e.getValue() instanceof Map<?, ?> m)) {
                        problems.add(vigilError("vigil.scope must be a mapping", where));
                        continue;
                    }
                    for (var s : m.entrySet()) {
                        try {
                            ResponseSyntax.scopeEntry(String.valueOf(s.getKey()), s.getValue(), patterns, labels);
                        } catch (ResponseSyntax.Invalid bad) {
                            problems.add(vigilError("vigil.scope: " + bad.getMessage(), where));
                        }
                    }
                }
                // An error, not a warning: a misspelt key could silently drop an enforcement the author meant.
                default -> problems.add(new LoadProblem(Severity.ERROR, ProblemCode.UNKNOWN_KEY,
                        "vigil: unknown key '" + e.getKey() + "' (use actions, scope)", where, null));
            }
        }
        if (actions.isEmpty() && !r.vigil().containsKey("actions")) {
            actions.add(new VigilExtension.Action(VigilExtension.Action.Kind.ALERT, null));
        }
        return new VigilExtension(actions, new Scope(patterns, labels));
    }

    private static LoadProblem vigilError(String message, SourceRef where) {
        return new LoadProblem(Severity.ERROR, ProblemCode.BAD_STRUCTURE, message, where, null);
    }

    // ---- results of loading

    /** Every problem found while loading, errors and warnings, in the order found. */
    public List<LoadProblem> problems() { return problems; }

    /** The errors only. */
    public List<LoadProblem> errors() { return problems.stream().filter(LoadProblem::isError).toList(); }

    public boolean hasErrors() { return problems.stream().anyMatch(LoadProblem::isError); }

    /** Every rule that compiled, enabled or not, in load order. */
    public List<CompiledRule> rules() { return rules; }

    /** The rule named {@code name}, or null. */
    public CompiledRule rule(String name) {
        for (CompiledRule r : rules) if (r.name().equals(name)) return r;
        return null;
    }

    /** The syscalls enabled rules can match: what the seccomp filter must deliver. */
    public Set<String> syscalls() { return syscalls; }

    /** The syscalls for which some enabled rule reads the result (capture must see their exit). */
    public Set<String> syscallsNeedingResult() { return resultSyscalls; }

    /** Every event type named by enabled rules, syscalls and others ({@code procexit}). */
    public Set<String> eventTypes() { return eventTypes; }

    /** True when some enabled rule does not restrict evt.type (it sees whatever is captured for the others). */
    public boolean hasUnrestrictedRules() { return needsAll; }

    /**
     * Some enabled rule reads a name learned from DNS ({@code fd.sip.name}, ...): capture must also watch the
     * socket syscalls that carry DNS queries and answers, which {@link #syscalls()} does not name.
     */
    public boolean needsDnsNames() { return needsDnsNames; }

    /**
     * Some enabled rule reads whether a process runs a file the workload wrote ({@code proc.is_exe_upper_layer}):
     * capture must also watch the file syscalls that create or change files, which {@link #syscalls()} does
     * not name, so that the written files are known at exec.
     */
    public boolean needsWrittenFiles() { return needsWrittenFiles; }

    public RuleOptions options() { return options; }

    /** Internal failures caught while evaluating (a bug; counted, never thrown to the capture loop). */
    public long evaluationErrors() { return evaluationErrors; }

    // ---- evaluation

    /**
     * Evaluates {@code e} against the enabled rules for its type, in load order, calling {@code sink} for each
     * match (only the first with {@link RuleMatching#FIRST}). Returns the number of matches. Allocates nothing
     * when nothing matches (beyond first-seen process images and values a rule must build).
     *
     * <p>A connect seen at entry (result unknown) runs every connect rule; its outcome, reported later as a
     * {@code connect_result} event, is Falco's connect exit event and runs only the rules that read the result
     * ({@code evt.res}, {@code evt.rawres}, {@code fd.connected}, ...), so no rule reports the same connect twice.
     */
    public int evaluate(Event e, MatchSink sink) {
        String type = e.evtType();
        int id;
        CompiledRule[] candidates;
        if (type.equals("connect_result")) {
            // the outcome of a connect already evaluated at entry: only rules that read the result run again,
            // so each rule reports a connect once
            id = connectId;
            candidates = connectResult;
        } else {
            id = typeIds.id(type);
            if (id < 0) {
                candidates = anyType;
            } else if (byName.get(id) != null && e.process() != null) {
                CompiledRule[] forName = byName.get(id).get(e.process().name());
                candidates = forName != null ? forName : unnamed[id];
            } else {
                candidates = byType[id];
            }
        }
        if (candidates.length == 0) return 0;
        boolean skipEnforcing = attemptRules != null && id >= 0 && attemptRules[id].length > 0;
        return run(e, id, candidates, sink, firstOnly, skipEnforcing);
    }

    // ---- enforcement

    /**
     * Marks the rules the response layer acts on. {@code enforcing} rules (block, kill) on the event types in
     * {@code judgedTypes} (syscalls the capture layer holds until a verdict) are taken out of {@link #evaluate}
     * and run on attempts instead ({@link #evaluateAttempt}); on other types (exec, exit) they stay in
     * {@link #evaluate}. First-match never hides an enforcing rule nor one in {@code acting} (webhooks): the
     * user asked for their action. Call once, before evaluating.
     */
    public void setResponses(Set<CompiledRule> enforcing, Set<CompiledRule> acting, Set<String> judgedTypes) {
        CompiledRule[][] attempt = new CompiledRule[byType.length][];
        for (CompiledRule r : rules) {
            r.enforcing = enforcing.contains(r);
            r.acting = r.enforcing || acting.contains(r);
            anyActing |= r.acting;
        }
        for (int i = 0; i < byType.length; i++) {
            attempt[i] = judgedTypes.contains(typeIds.name(i))
                    ? java.util.Arrays.stream(byType[i]).filter(r -> r.enforcing).toArray(CompiledRule[]::new)
                    : new CompiledRule[0];
        }
        this.attemptRules = attempt;
    }

    /** Whether attempts of this syscall can meet an enforcing rule (only then is judging worth its cost). */
    public boolean judges(String syscall) {
        int id = typeIds.id(syscall);
        return id >= 0 && attemptRules != null && attemptRules[id].length > 0;
    }

    /**
     * Runs the enforcing rules of {@code attempt}'s syscall on it: every match is reported (an attempt may meet
     * several rules, each with its own action). The attempt is the event of a syscall about to run, with its
     * result read as success (the response layer builds it so): enforcement decides on what is tried.
     */
    public int evaluateAttempt(Event attempt, MatchSink sink) {
        int id = typeIds.id(attempt.evtType());
        if (id < 0 || attemptRules == null || attemptRules[id].length == 0) return 0;
        return run(attempt, id, attemptRules[id], sink, false, false);
    }

    private int run(Event e, int id, CompiledRule[] candidates, MatchSink sink, boolean stopAtFirst, boolean skipEnforcing) {
        EvalContext c = ctx;
        c.reset(e, id);
        int n = 0;
        long stamp = c.stamp();
        boolean matched = false;
        for (CompiledRule r : candidates) {
            if (skipEnforcing && r.enforcing) continue;
            // after the first match only acting rules still run: first-match is about alerts, not actions
            if (matched && !r.acting) continue;
            if (r.ruledOut(c, stamp)) continue;
            boolean hit;
            try {
                hit = r.predicate().test(c);
            } catch (RuntimeException x) {
                evaluationErrors++;
                continue;
            }
            if (hit) {
                n++;
                sink.onMatch(r, c);
                if (stopAtFirst) {
                    if (!anyActing) break;
                    matched = true;
                }
            }
        }
        return n;
    }
}
