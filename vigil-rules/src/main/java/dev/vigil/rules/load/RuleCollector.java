package dev.vigil.rules.load;

import dev.vigil.rules.load.Collected.ListDef;
import dev.vigil.rules.load.Collected.MacroDef;
import dev.vigil.rules.load.Collected.RuleDef;
import dev.vigil.rules.load.Item.ExceptionItem;
import dev.vigil.rules.load.Item.Mode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Second pass: applies items in load order. A definition replaces an earlier one of the same name (a later
 * file amending an earlier one, as in Falco; a rule defined twice in one file is an error);
 * {@code append: true} and {@code override: {key: append|replace}} amend an existing item (an error when
 * there is none); an item with only {@code rule} and {@code enabled} switches a rule on or off.
 */
public final class RuleCollector {
    /** The newest rules-file engine version Vigil implements (Falco's numbering). */
    public static final String ENGINE_VERSION = "0.57.0";

    private final List<LoadProblem> problems;
    private final Map<String, ListDef> lists = new LinkedHashMap<>();
    private final Map<String, MacroDef> macros = new LinkedHashMap<>();
    private final Map<String, RuleState> rules = new LinkedHashMap<>();
    private final Set<String> skippedRules = new HashSet<>();

    public RuleCollector(List<LoadProblem> problems) {
        this.problems = problems;
    }

    private static final class RuleState {
        String name;
        Condition condition;
        Condition output;
        String desc;
        String priority;
        SourceRef priorityWhere;
        boolean enabled = true;
        List<String> tags = new ArrayList<>();
        String source = "syscall";
        List<ExceptionItem> exceptions = new ArrayList<>();
        boolean skip;
        boolean warnEvttypes = true;
        Map<String, Object> vigil;
        SourceRef where;
    }

    /** Applies the items of one file, in order. */
    public void add(List<Item> items) {
        for (Item it : items) {
            switch (it) {
                case Item.EngineVersion v -> engineVersion(v);
                case Item.PluginVersions p -> {
                    if (!p.names().isEmpty()) {
                        warn(p.where(), ProblemCode.PLUGIN_IGNORED, "Vigil loads no plugins; required plugins "
                                + p.names() + " ignored (container.* fields are built in)");
                    }
                }
                case Item.ListItem l -> list(l);
                case Item.MacroItem m -> macro(m);
                case Item.RuleItem r -> rule(r);
            }
        }
    }

    /** The result after all files. */
    public Collected result() {
        LinkedHashMap<String, RuleDef> out = new LinkedHashMap<>();
        for (RuleState s : rules.values()) {
            out.put(s.name, new RuleDef(s.name, s.condition, s.output, s.desc, s.priority, s.priorityWhere, s.enabled,
                    List.copyOf(s.tags), s.source, List.copyOf(s.exceptions), s.skip, s.vigil, s.where, s.warnEvttypes));
        }
        return new Collected(new LinkedHashMap<>(lists), new LinkedHashMap<>(macros), out);
    }

    private void engineVersion(Item.EngineVersion v) {
        int[] want = version(v.version());
        if (want == null) {
            error(v.where(), ProblemCode.ENGINE_VERSION, "cannot parse engine version '" + v.version() + "'");
            return;
        }
        int[] have = version(ENGINE_VERSION);
        if (compare(want, have) > 0) {
            error(v.where(), ProblemCode.ENGINE_VERSION, "rules require engine version " + v.version()
                    + ", but Vigil implements " + ENGINE_VERSION + ": update Vigil or use older rules");
        }
    }

    /** "0.57.0" as {0, 57, 0}; a bare number n (old style) as {0, n, 0}. */
    static int[] version(String s) {
        String[] p = s.trim().split("\\.");
        try {
            if (p.length == 1) return new int[] {0, Integer.parseInt(p[0]), 0};
            int[] v = new int[3];
            for (int i = 0; i < 3 && i < p.length; i++) v[i] = Integer.parseInt(p[i].replaceAll("[^0-9].*$", ""));
            return v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        return 0;
    }

    private void list(Item.ListItem l) {
        ListDef prev = lists.get(l.name());
        boolean amend = l.append() || !l.override().isEmpty();
        if (amend) {
            if (prev == null) {
                error(l.where(), ProblemCode.NO_SUCH_ITEM, "list '" + l.name() + "' is amended (append/override) but not defined earlier");
                return;
            }
            List<String> items = new ArrayList<>(prev.items());
            Mode mode = l.append() ? Mode.APPEND : l.override().getOrDefault("items", null);
            if (mode == Mode.REPLACE) items = new ArrayList<>(l.items());
            else if (mode == Mode.APPEND) items.addAll(l.items());
            lists.put(l.name(), new ListDef(l.name(), items, prev.where()));
            return;
        }
        if (prev != null && prev.where().file().equals(l.where().file())) {
            warn(l.where(), ProblemCode.DUPLICATE, "list defined again in the same file (first at line "
                    + prev.where().line() + "); this definition replaces it");
        }
        lists.remove(l.name());
        lists.put(l.name(), new ListDef(l.name(), List.copyOf(l.items()), l.where()));
    }

    private void macro(Item.MacroItem m) {
        MacroDef prev = macros.get(m.name());
        boolean amend = m.append() || !m.override().isEmpty();
        if (amend) {
            if (prev == null) {
                error(m.where(), ProblemCode.NO_SUCH_ITEM, "macro '" + m.name() + "' is amended (append/override) but not defined earlier");
                return;
            }
            Mode mode = m.append() ? Mode.APPEND : m.override().get("condition");
            Condition c = mode == Mode.REPLACE ? Condition.of(m.condition()) : prev.condition().append(m.condition());
            macros.put(m.name(), new MacroDef(m.name(), c, prev.where()));
            return;
        }
        if (prev != null && prev.where().file().equals(m.where().file())) {
            warn(m.where(), ProblemCode.DUPLICATE, "macro defined again in the same file (first at line "
                    + prev.where().line() + "); this definition replaces it");
        }
        macros.remove(m.name());
        macros.put(m.name(), new MacroDef(m.name(), Condition.of(m.condition()), m.where()));
    }

    private void rule(Item.RuleItem r) {
        RuleState prev = rules.get(r.name());
        boolean amend = r.append() || !r.override().isEmpty();
        boolean onlyEnabled = !amend && r.keys().stream().allMatch(k -> k.equals("rule") || k.equals("enabled"));
        if (amend || onlyEnabled) {
            if (prev == null) {
                if (skippedRules.contains(r.name())) return;
                error(r.where(), ProblemCode.NO_SUCH_ITEM, (onlyEnabled ? "'enabled' is set on" : "append/override of")
                        + " a rule that is not defined earlier");
                return;
            }
            if (onlyEnabled) {
                if (r.enabled() != null) prev.enabled = r.enabled();
                return;
            }
            amend(prev, r);
            return;
        }
        String source = r.source() == null ? "syscall" : r.source();
        if (!source.equals("syscall")) {
            warn(r.where(), ProblemCode.SOURCE_SKIPPED, "source '" + source
                    + "' is not supported (Vigil evaluates syscall rules only): rule skipped");
            skippedRules.add(r.name());
            rules.remove(r.name());
            return;
        }
        if (prev != null) {
            if (prev.where.file().equals(r.where().file())) {
                error(r.where(), ProblemCode.DUPLICATE, "rule defined twice in the same file (first at line "
                        + prev.where.line() + "); rename one, or use 'override' to change it");
            } else {
                warn(r.where(), ProblemCode.DUPLICATE, "rule redefined: replaces the definition at "
                        + prev.where.position());
            }
        }
        RuleState s = new RuleState();
        s.name = r.name();
        s.condition = Condition.of(r.condition());
        s.output = Condition.of(r.output());
        s.desc = r.desc() == null ? "" : r.desc();
        s.priority = r.priority();
        s.priorityWhere = r.where();
        s.enabled = r.enabled() == null || r.enabled();
        if (r.tags() != null) s.tags.addAll(r.tags());
        if (r.exceptions() != null) s.exceptions.addAll(r.exceptions());
        s.skip = r.skipIfUnknownFilter();
        s.warnEvttypes = r.warnEvttypes();
        s.vigil = r.vigil();
        s.where = r.where();
        rules.remove(r.name());
        rules.put(r.name(), s);
    }

    private void amend(RuleState s, Item.RuleItem r) {
        Map<String, Mode> ov = new LinkedHashMap<>(r.override());
        if (r.append()) {
            for (String k : List.of("condition", "output", "desc", "tags", "exceptions")) {
                if (r.keys().contains(k)) ov.put(k, Mode.APPEND);
            }
        }
        for (String k : r.keys()) {
            if (!k.equals("rule") && !k.equals("append") && !k.equals("override") && !ov.containsKey(k)) {
                if (k.equals("enabled") && r.enabled() != null) { s.enabled = r.enabled(); continue; }
                warn(r.where(), ProblemCode.BAD_OVERRIDE, "key '" + k + "' is present but not listed in 'override': ignored");
            }
        }
        for (var e : ov.entrySet()) {
            boolean app = e.getValue() == Mode.APPEND;
            if (!r.keys().contains(e.getKey())) {
                error(r.where(), ProblemCode.BAD_OVERRIDE, "'override' names '" + e.getKey() + "' but the item has no such key");
                continue;
            }
            switch (e.getKey()) {
                case "condition" -> s.condition = app ? s.condition.append(r.condition()) : Condition.of(r.condition());
                case "output" -> s.output = app ? s.output.append(r.output()) : Condition.of(r.output());
                case "desc" -> s.desc = app ? s.desc + " " + r.desc() : r.desc();
                case "priority" -> { s.priority = r.priority(); s.priorityWhere = r.where(); }
                case "tags" -> {
                    if (!app) s.tags.clear();
                    LinkedHashSet<String> t = new LinkedHashSet<>(s.tags);
                    if (r.tags() != null) t.addAll(r.tags());
                    s.tags = new ArrayList<>(t);
                }
                case "exceptions" -> {
                    if (!app) s.exceptions.clear();
                    if (r.exceptions() != null) appendExceptions(s, r.exceptions());
                }
                case "enabled" -> { if (r.enabled() != null) s.enabled = r.enabled(); }
                case "skip-if-unknown-filter" -> s.skip = r.skipIfUnknownFilter();
                case "warn_evttypes" -> s.warnEvttypes = r.warnEvttypes();
                case "vigil" -> s.vigil = r.vigil();
                default -> { /* accepted by the reader, no effect in Vigil (capture, capture_duration, source) */ }
            }
        }
    }

    /** Appending an exception with an existing name adds its values; a new name adds the exception. */
    private static void appendExceptions(RuleState s, List<ExceptionItem> more) {
        for (ExceptionItem e : more) {
            int idx = -1;
            for (int i = 0; i < s.exceptions.size(); i++) if (s.exceptions.get(i).name().equals(e.name())) idx = i;
            if (idx < 0) {
                s.exceptions.add(e);
            } else {
                ExceptionItem old = s.exceptions.get(idx);
                List<Object> vals = new ArrayList<>(old.values());
                vals.addAll(e.values());
                s.exceptions.set(idx, new ExceptionItem(old.where(), old.name(), old.fields(), old.singleField(), old.comps(), vals));
            }
        }
    }

    private void error(SourceRef where, ProblemCode code, String msg) {
        problems.add(new LoadProblem(Severity.ERROR, code, msg, where, null));
    }

    private void warn(SourceRef where, ProblemCode code, String msg) {
        problems.add(new LoadProblem(Severity.WARNING, code, msg, where, null));
    }
}
