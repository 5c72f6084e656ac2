package dev.vigil.rules.load;

import dev.vigil.rules.load.Item.ExceptionItem;
import dev.vigil.rules.load.Item.Mode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * First pass: YAML text to typed {@link Item}s with positions. Checks structure (a sequence of mappings,
 * value types, required keys) and reports every problem it can find in the file rather than stopping.
 */
public final class RuleReader {
    private static final Set<String> RULE_KEYS = Set.of("rule", "condition", "output", "desc", "priority", "enabled",
            "tags", "source", "exceptions", "append", "override", "warn_evttypes", "skip-if-unknown-filter",
            "capture", "capture_duration", "vigil");
    private static final Set<String> MACRO_KEYS = Set.of("macro", "condition", "append", "override", "source");
    private static final Set<String> LIST_KEYS = Set.of("list", "items", "append", "override", "source");
    private static final Set<String> RULE_OVERRIDE_APPEND = Set.of("condition", "output", "desc", "tags", "exceptions");
    private static final Set<String> RULE_OVERRIDE_REPLACE = Set.of("condition", "output", "desc", "priority", "tags",
            "exceptions", "enabled", "source", "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration", "vigil");

    private final List<LoadProblem> problems;

    public RuleReader(List<LoadProblem> problems) {
        this.problems = problems;
    }

    /** Reads a file; an unreadable file is an IO problem and no items. */
    public List<Item> read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.IO, "cannot read file: " + e.getMessage(),
                    new SourceRef(path.toString(), 1, 1, ItemKind.FILE, null), null));
            return List.of();
        }
        return read(path.toString(), text);
    }

    /** Reads rules from text; {@code name} is what problems call the file. */
    public List<Item> read(String name, String text) {
        SourceFile file = new SourceFile(name, text);
        List<Item> items = new ArrayList<>();
        List<Node> docs = new ArrayList<>();
        try {
            Yaml yaml = new Yaml(new LoaderOptions());
            for (Node n : yaml.composeAll(new StringReader(text))) docs.add(n);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = m == null ? 1 : m.getLine() + 1;
            int col = m == null ? 1 : m.getColumn() + 1;
            String msg = (e.getContext() != null ? e.getContext() + ": " : "") + e.getProblem();
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.YAML_SYNTAX, "invalid YAML: " + msg,
                    new SourceRef(name, line, col, ItemKind.FILE, null), file.snippet(line, col)));
            return List.of();
        } catch (YAMLException e) {
            problems.add(new LoadProblem(Severity.ERROR, ProblemCode.YAML_SYNTAX, "invalid YAML: " + e.getMessage(),
                    new SourceRef(name, 1, 1, ItemKind.FILE, null), null));
            return List.of();
        }
        for (Node doc : docs) {
            if (doc == null) continue;
            if (!(doc instanceof SequenceNode seq)) {
                error(file, doc, ItemKind.FILE, null, ProblemCode.BAD_STRUCTURE,
                        "a rules file must be a YAML sequence of items (- rule: ..., - macro: ..., - list: ...)");
                continue;
            }
            for (Node n : seq.getValue()) {
                Item it = item(file, n);
                if (it != null) items.add(it);
            }
        }
        return items;
    }

    private Item item(SourceFile file, Node n) {
        if (!(n instanceof MappingNode map)) {
            error(file, n, ItemKind.UNKNOWN, null, ProblemCode.BAD_STRUCTURE, "an item must be a mapping (key: value)");
            return null;
        }
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (k == null) {
                error(file, t.getKeyNode(), ItemKind.UNKNOWN, null, ProblemCode.BAD_STRUCTURE, "keys must be strings");
                continue;
            }
            if (keys.put(k, t) != null) {
                warn(file, t.getKeyNode(), ItemKind.UNKNOWN, null, ProblemCode.DUPLICATE,
                        "key '" + k + "' appears twice in this item; the last one is used");
            }
        }
        if (keys.containsKey("rule")) return rule(file, map, keys);
        if (keys.containsKey("macro")) return macro(file, map, keys);
        if (keys.containsKey("list")) return list(file, map, keys);
        if (keys.containsKey("required_engine_version")) {
            Node v = keys.get("required_engine_version").getValueNode();
            SourceRef where = ref(file, map, ItemKind.ENGINE_VERSION, null);
            String s = scalar(file, v, ItemKind.ENGINE_VERSION, null, "required_engine_version");
            return s == null ? null : new Item.EngineVersion(where, s);
        }
        if (keys.containsKey("required_plugin_versions")) {
            Node v = keys.get("required_plugin_versions").getValueNode();
            List<String> names = new ArrayList<>();
            if (v instanceof SequenceNode s) {
                for (Node p : s.getValue()) {
                    if (p instanceof MappingNode pm) {
                        for (NodeTuple t : pm.getValue()) {
                            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")
                                    && t.getValueNode() instanceof ScalarNode nv) names.add(nv.getValue());
                        }
                    }
                }
            }
            return new Item.PluginVersions(ref(file, map, ItemKind.PLUGIN_VERSIONS, null), names);
        }
        warn(file, map, ItemKind.UNKNOWN, null, ProblemCode.UNKNOWN_ITEM,
                "unknown top-level item with keys " + keys.keySet() + ": ignored");
        return null;
    }

    private Item.ListItem list(SourceFile file, MappingNode map, Map<String, NodeTuple> keys) {
        String name = scalar(file, keys.get("list").getValueNode(), ItemKind.LIST, null, "list");
        if (name == null) return null;
        SourceRef where = ref(file, map, ItemKind.LIST, name);
        unknownKeys(file, keys, LIST_KEYS, ItemKind.LIST, name);
        if (!checkSource(file, keys, ItemKind.LIST, name)) return null;
        boolean append = bool(file, keys.get("append"), ItemKind.LIST, name);
        Map<String, Mode> override = override(file, keys.get("override"), ItemKind.LIST, name, Set.of("items"), Set.of("items"));
        List<String> items = new ArrayList<>();
        NodeTuple it = keys.get("items");
        if (it == null) {
            if (override.isEmpty()) {
                error(file, map, ItemKind.LIST, name, ProblemCode.MISSING_KEY, "list has no 'items'");
                return null;
            }
        } else {
            List<String> v = stringList(file, it.getValueNode(), ItemKind.LIST, name, "items");
            if (v == null) return null;
            items.addAll(v);
        }
        return new Item.ListItem(where, name, items, it != null, append, override);
    }

    private Item.MacroItem macro(SourceFile file, MappingNode map, Map<String, NodeTuple> keys) {
        String name = scalar(file, keys.get("macro").getValueNode(), ItemKind.MACRO, null, "macro");
        if (name == null) return null;
        SourceRef where = ref(file, map, ItemKind.MACRO, name);
        unknownKeys(file, keys, MACRO_KEYS, ItemKind.MACRO, name);
        if (!checkSource(file, keys, ItemKind.MACRO, name)) return null;
        boolean append = bool(file, keys.get("append"), ItemKind.MACRO, name);
        Map<String, Mode> override = override(file, keys.get("override"), ItemKind.MACRO, name, Set.of("condition"), Set.of("condition"));
        NodeTuple c = keys.get("condition");
        if (c == null) {
            error(file, map, ItemKind.MACRO, name, ProblemCode.MISSING_KEY, "macro has no 'condition'");
            return null;
        }
        Text cond = text(file, c.getValueNode(), ItemKind.MACRO, name, "condition");
        return cond == null ? null : new Item.MacroItem(where, name, cond, append, override);
    }

    private Item.RuleItem rule(SourceFile file, MappingNode map, Map<String, NodeTuple> keys) {
        String name = scalar(file, keys.get("rule").getValueNode(), ItemKind.RULE, null, "rule");
        if (name == null) return null;
        SourceRef where = ref(file, map, ItemKind.RULE, name);
        unknownKeys(file, keys, RULE_KEYS, ItemKind.RULE, name);
        boolean append = bool(file, keys.get("append"), ItemKind.RULE, name);
        Map<String, Mode> override = override(file, keys.get("override"), ItemKind.RULE, name,
                RULE_OVERRIDE_APPEND, RULE_OVERRIDE_REPLACE);
        Text cond = keys.containsKey("condition") ? text(file, keys.get("condition").getValueNode(), ItemKind.RULE, name, "condition") : null;
        Text out = keys.containsKey("output") ? text(file, keys.get("output").getValueNode(), ItemKind.RULE, name, "output") : null;
        String desc = keys.containsKey("desc") ? scalar(file, keys.get("desc").getValueNode(), ItemKind.RULE, name, "desc") : null;
        String prio = keys.containsKey("priority") ? scalar(file, keys.get("priority").getValueNode(), ItemKind.RULE, name, "priority") : null;
        Boolean enabled = keys.containsKey("enabled") ? bool(file, keys.get("enabled"), ItemKind.RULE, name) : null;
        List<String> tags = keys.containsKey("tags") ? stringList(file, keys.get("tags").getValueNode(), ItemKind.RULE, name, "tags") : null;
        String source = keys.containsKey("source") ? scalar(file, keys.get("source").getValueNode(), ItemKind.RULE, name, "source") : null;
        boolean skip = keys.containsKey("skip-if-unknown-filter") && bool(file, keys.get("skip-if-unknown-filter"), ItemKind.RULE, name);
        boolean warnEvttypes = !keys.containsKey("warn_evttypes") || bool(file, keys.get("warn_evttypes"), ItemKind.RULE, name);
        List<ExceptionItem> exceptions = keys.containsKey("exceptions") ? exceptions(file, keys.get("exceptions").getValueNode(), name) : null;
        Map<String, Object> vigil = null;
        if (keys.containsKey("vigil")) {
            Object v = plain(keys.get("vigil").getValueNode());
            if (v instanceof Map<?, ?> m) {
                vigil = new LinkedHashMap<>();
                for (var e : m.entrySet()) vigil.put(String.valueOf(e.getKey()), e.getValue());
            } else {
                error(file, keys.get("vigil").getValueNode(), ItemKind.RULE, name, ProblemCode.BAD_STRUCTURE,
                        "'vigil' must be a mapping (actions: [...], scope: {...})");
            }
        }
        boolean amend = append || !override.isEmpty();
        if (!amend) {
            boolean onlyEnabled = keys.keySet().stream().allMatch(k -> k.equals("rule") || k.equals("enabled"));
            if (!onlyEnabled) {
                for (String req : List.of("condition", "output", "priority")) {
                    if (!keys.containsKey(req)) {
                        error(file, map, ItemKind.RULE, name, ProblemCode.MISSING_KEY, "rule has no '" + req + "'");
                        return null;
                    }
                }
                if (cond == null || out == null || prio == null) return null;
            }
        }
        return new Item.RuleItem(where, name, new LinkedHashSet<>(keys.keySet()), cond, out, desc, prio, enabled,
                tags, source, exceptions, skip, append, override, vigil, warnEvttypes);
    }

    private List<ExceptionItem> exceptions(SourceFile file, Node n, String rule) {
        if (!(n instanceof SequenceNode seq)) {
            error(file, n, ItemKind.RULE, rule, ProblemCode.BAD_EXCEPTION, "'exceptions' must be a sequence");
            return null;
        }
        List<ExceptionItem> out = new ArrayList<>();
        for (Node e : seq.getValue()) {
            if (!(e instanceof MappingNode m)) {
                error(file, e, ItemKind.RULE, rule, ProblemCode.BAD_EXCEPTION, "an exception must be a mapping");
                continue;
            }
            String name = null;
            Object fields = null;
            Object comps = null;
            Object values = null;
            for (NodeTuple t : m.getValue()) {
                String k = t.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : "?";
                switch (k) {
                    case "name" -> name = t.getValueNode() instanceof ScalarNode s ? s.getValue() : null;
                    case "fields" -> fields = plain(t.getValueNode());
                    case "comps" -> comps = plain(t.getValueNode());
                    case "values" -> values = plain(t.getValueNode());
                    default -> warn(file, t.getKeyNode(), ItemKind.RULE, rule, ProblemCode.UNKNOWN_KEY,
                            "unknown key '" + k + "' in exception: ignored");
                }
            }
            SourceRef where = ref(file, m, ItemKind.RULE, rule);
            if (name == null) {
                error(file, m, ItemKind.RULE, rule, ProblemCode.BAD_EXCEPTION, "exception has no 'name'");
                continue;
            }
            boolean single = fields instanceof String;
            List<String> fl = new ArrayList<>();
            if (fields instanceof String s) fl.add(s);
            else if (fields instanceof List<?> l) for (Object o : l) fl.add(String.valueOf(o));
            List<String> cl = new ArrayList<>();
            if (comps instanceof String s) cl.add(s);
            else if (comps instanceof List<?> l) for (Object o : l) cl.add(String.valueOf(o));
            List<Object> vl = new ArrayList<>();
            if (values instanceof List<?> l) vl.addAll(l);
            else if (values != null) {
                error(file, m, ItemKind.RULE, rule, ProblemCode.BAD_EXCEPTION, "exception '" + name + "': 'values' must be a sequence");
                continue;
            }
            out.add(new ExceptionItem(where, name, fl, single, cl, vl));
        }
        return out;
    }

    private Map<String, Mode> override(SourceFile file, NodeTuple t, ItemKind kind, String name,
                                      Set<String> appendable, Set<String> replaceable) {
        if (t == null) return Map.of();
        if (!(t.getValueNode() instanceof MappingNode m)) {
            error(file, t.getValueNode(), kind, name, ProblemCode.BAD_OVERRIDE, "'override' must be a mapping of key: append|replace");
            return Map.of();
        }
        Map<String, Mode> out = new LinkedHashMap<>();
        for (NodeTuple e : m.getValue()) {
            String k = e.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : "?";
            String v = e.getValueNode() instanceof ScalarNode s ? s.getValue().toLowerCase(Locale.ROOT) : "";
            Mode mode = switch (v) {
                case "append" -> Mode.APPEND;
                case "replace" -> Mode.REPLACE;
                default -> null;
            };
            if (mode == null) {
                error(file, e.getValueNode(), kind, name, ProblemCode.BAD_OVERRIDE,
                        "override of '" + k + "' must be 'append' or 'replace', not '" + v + "'");
                continue;
            }
            if (!(mode == Mode.APPEND ? appendable : replaceable).contains(k)) {
                error(file, e.getKeyNode(), kind, name, ProblemCode.BAD_OVERRIDE,
                        "key '" + k + "' cannot be overridden with " + v + " (allowed: "
                                + (mode == Mode.APPEND ? appendable : replaceable) + ")");
                continue;
            }
            out.put(k, mode);
        }
        return out;
    }

    private boolean checkSource(SourceFile file, Map<String, NodeTuple> keys, ItemKind kind, String name) {
        NodeTuple s = keys.get("source");
        if (s == null || !(s.getValueNode() instanceof ScalarNode v) || v.getValue().equals("syscall")) return true;
        warn(file, s.getValueNode(), kind, name, ProblemCode.SOURCE_SKIPPED,
                "source '" + v.getValue() + "' is not supported (Vigil evaluates syscall rules only): skipped");
        return false;
    }

    private void unknownKeys(SourceFile file, Map<String, NodeTuple> keys, Set<String> known, ItemKind kind, String name) {
        for (var e : keys.entrySet()) {
            if (!known.contains(e.getKey())) {
                warn(file, e.getValue().getKeyNode(), kind, name, ProblemCode.UNKNOWN_KEY,
                        "unknown key '" + e.getKey() + "': ignored");
            }
        }
    }

    private String scalar(SourceFile file, Node n, ItemKind kind, String name, String key) {
        if (n instanceof ScalarNode s) return s.getValue();
        error(file, n, kind, name, ProblemCode.BAD_STRUCTURE, "'" + key + "' must be a string");
        return null;
    }

    private Text text(SourceFile file, Node n, ItemKind kind, String name, String key) {
        if (!(n instanceof ScalarNode s)) {
            error(file, n, kind, name, ProblemCode.BAD_STRUCTURE, "'" + key + "' must be a string");
            return null;
        }
        DumperOptions.ScalarStyle st = s.getScalarStyle();
        boolean block = st == DumperOptions.ScalarStyle.LITERAL || st == DumperOptions.ScalarStyle.FOLDED;
        boolean quoted = st == DumperOptions.ScalarStyle.SINGLE_QUOTED || st == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
        return new Text(s.getValue(), ref(file, n, kind, name), file, n.getStartMark().getIndex(), block, quoted);
    }

    private boolean bool(SourceFile file, NodeTuple t, ItemKind kind, String name) {
        if (t == null) return false;
        Node n = t.getValueNode();
        if (n instanceof ScalarNode s) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("yes") || v.equals("on")) return true;
            if (v.equals("false") || v.equals("no") || v.equals("off")) return false;
        }
        String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
        error(file, n, kind, name, ProblemCode.BAD_STRUCTURE, "'" + key + "' must be true or false");
        return false;
    }

    private List<String> stringList(SourceFile file, Node n, ItemKind kind, String name, String key) {
        if (!(n instanceof SequenceNode s)) {
            if (n instanceof ScalarNode sc && sc.getValue().isEmpty()) return List.of();
            error(file, n, kind, name, ProblemCode.BAD_STRUCTURE, "'" + key + "' must be a sequence ([a, b] or - a)");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node e : s.getValue()) {
            if (e instanceof ScalarNode sc) out.add(sc.getValue());
            else error(file, e, kind, name, ProblemCode.BAD_STRUCTURE, "'" + key + "' entries must be strings");
        }
        return out;
    }

    /** A node as plain Java values: String, List, Map (for exceptions and the vigil extension). */
    private static Object plain(Node n) {
        return switch (n) {
            case ScalarNode s -> s.getValue();
            case SequenceNode s -> {
                List<Object> l = new ArrayList<>();
                for (Node e : s.getValue()) l.add(plain(e));
                yield l;
            }
            case MappingNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
                yield out;
            }
            default -> null;
        };
    }

    private static SourceRef ref(SourceFile file, Node n, ItemKind kind, String name) {
        Mark m = n.getStartMark();
        return new SourceRef(file.name(), m.getLine() + 1, m.getColumn() + 1, kind, name);
    }

    private void error(SourceFile file, Node n, ItemKind kind, String name, ProblemCode code, String msg) {
        SourceRef r = ref(file, n, kind, name);
        problems.add(new LoadProblem(Severity.ERROR, code, msg, r, file.snippet(r.line(), r.col())));
    }

    private void warn(SourceFile file, Node n, ItemKind kind, String name, ProblemCode code, String msg) {
        SourceRef r = ref(file, n, kind, name);
        problems.add(new LoadProblem(Severity.WARNING, code, msg, r, file.snippet(r.line(), r.col())));
    }
}
