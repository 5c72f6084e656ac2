package dev.vigil.response.policy;

import dev.vigil.rules.engine.ResponseSyntax;
import dev.vigil.rules.engine.Scope;
import dev.vigil.rules.engine.VigilExtension.Action;
import dev.vigil.rules.engine.VigilExtension.Action.Kind;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a policy file from SnakeYAML's node tree, so that every problem names its line and column. Collects all
 * problems before failing. One instance per file; not thread-safe.
 */
final class PolicyReader {
    /** A policy entry as read: the first whose match and selector fit a rule gives its plan. */
    record Entry(String name, Scope match, List<String> rules, Set<String> tags, List<Action> actions, List<WebhookTarget> webhooks) {}

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)/(s|m|h)");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final String file;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    NoiseSettings noise = NoiseSettings.defaults();
    final Map<String, WebhookTarget> webhooks = new LinkedHashMap<>();
    final List<Entry> entries = new ArrayList<>();

    PolicyReader(String file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    void read(String text) throws PolicyException {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new PolicyException(List.of(at(m) + "YAML syntax: " + e.getProblem()));
        }
        if (!(root instanceof MappingNode top)) {
            throw new PolicyException(List.of(root == null ? file + ":1:1: empty policy file (expected version: 1)"
                    : at(root) + "expected a mapping with version, noise, webhooks, policies"));
        }
        Map<String, NodeTuple> keys = keys(top, Set.of("version", "noise", "webhooks", "policies"));
        NodeTuple version = keys.get("version");
        if (version == null) error(top, "missing 'version' (use version: 1)");
        else if (!"1".equals(scalar(version.getValueNode()))) error(version.getValueNode(), "unsupported version (only 1 is known)");
        if (keys.containsKey("noise")) noise(keys.get("noise").getValueNode());
        if (keys.containsKey("webhooks")) webhooks(keys.get("webhooks").getValueNode());
        if (keys.containsKey("policies")) policies(keys.get("policies").getValueNode());
        if (!problems.isEmpty()) throw new PolicyException(problems);
    }

    // ---- sections

    private void noise(Node n) {
        if (!(n instanceof MappingNode m)) { error(n, "noise: expected a mapping"); return; }
        Map<String, NodeTuple> k = keys(m, Set.of("dedup_window", "rate_limit", "burst"));
        NoiseSettings d = NoiseSettings.defaults();
        Duration window = k.containsKey("dedup_window") ? duration(k.get("dedup_window").getValueNode(), "dedup_window", true) : d.dedupWindow();
        double rate = k.containsKey("rate_limit") ? rate(k.get("rate_limit").getValueNode()) : d.ratePerSecond();
        int burst = d.burst();
        if (k.containsKey("burst")) {
            Node b = k.get("burst").getValueNode();
            String s = scalar(b);
            if (s == null || !s.matches("\\d{1,9}")) error(b, "burst: expected a whole number >= 0, not " + show(b));
            else burst = Integer.parseInt(s);
        }
        if (window != null && rate >= 0) noise = new NoiseSettings(window, rate, burst);
    }

    private void webhooks(Node n) {
        if (!(n instanceof MappingNode m)) { error(n, "webhooks: expected a mapping of name to webhook"); return; }
        for (NodeTuple t : m.getValue()) {
            String name = scalar(t.getKeyNode());
            if (!ResponseSyntax.isWebhookName(name)) {
                error(t.getKeyNode(), "webhook names use letters, digits, '_', '.', '-'");
                continue;
            }
            if (webhooks.containsKey(name)) { error(t.getKeyNode(), "duplicate webhook '" + name + "'"); continue; }
            WebhookTarget w = webhook(name, t.getValueNode());
            if (w != null) webhooks.put(name, w);
        }
    }

    private WebhookTarget webhook(String name, Node n) {
        String where = "webhooks." + name;
        if (!(n instanceof MappingNode m)) { error(n, where + ": expected a mapping with url, headers, timeout"); return null; }
        Map<String, NodeTuple> k = keys(m, Set.of("url", "headers", "timeout"));
        URI url = null;
        if (!k.containsKey("url")) {
            error(m, where + ": missing 'url'");
        } else {
            Node u = k.get("url").getValueNode();
            String s = expand(u, scalar(u));
            if (s != null) {
                try {
                    url = ResponseSyntax.httpUrl(s);
                } catch (ResponseSyntax.Invalid bad) {
                    error(u, where + ".url: " + bad.getMessage());
                }
            } else if (scalar(u) == null) {
                error(u, where + ".url: expected a URL");
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (k.containsKey("headers")) {
            Node h = k.get("headers").getValueNode();
            if (!(h instanceof MappingNode hm)) {
                error(h, where + ".headers: expected a mapping of header name to value");
            } else {
                for (NodeTuple ht : hm.getValue()) {
                    String hn = scalar(ht.getKeyNode());
                    String hv = scalar(ht.getValueNode());
                    if (hn == null || hv == null) { error(ht.getValueNode(), where + ".headers: expected name: value"); continue; }
                    String expanded = expand(ht.getValueNode(), hv);
                    if (expanded != null) headers.put(hn, expanded);
                }
            }
        }
        Duration timeout = WebhookTarget.DEFAULT_TIMEOUT;
        if (k.containsKey("timeout")) {
            Duration t = duration(k.get("timeout").getValueNode(), where + ".timeout", false);
            if (t != null) timeout = t;
        }
        return url == null ? null : new WebhookTarget(name, url, headers, timeout);
    }

    private void policies(Node n) {
        if (!(n instanceof SequenceNode seq)) { error(n, "policies: expected a list of policy entries"); return; }
        Set<String> names = new HashSet<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) { error(item, "policies: each entry is a mapping with name, match, rules/tags, actions"); continue; }
            Map<String, NodeTuple> k = keys(m, Set.of("name", "match", "rules", "tags", "actions"));
            String name = k.containsKey("name") ? scalar(k.get("name").getValueNode()) : null;
            if (name == null || name.isBlank()) {
                error(k.containsKey("name") ? k.get("name").getValueNode() : m, "policy entry: missing 'name'");
                name = "#" + (entries.size() + 1);
            } else if (!names.add(name)) {
                error(k.get("name").getValueNode(), "duplicate policy name '" + name + "'");
            }
            String where = "policy '" + name + "'";
            Scope match = k.containsKey("match") ? scope(k.get("match").getValueNode(), where) : Scope.EVERYWHERE;
            List<String> rules = k.containsKey("rules") ? strings(k.get("rules").getValueNode(), where + ": rules") : List.of();
            List<String> tags = k.containsKey("tags") ? strings(k.get("tags").getValueNode(), where + ": tags") : List.of();
            if (rules.isEmpty() && tags.isEmpty() && !k.containsKey("rules") && !k.containsKey("tags")) {
                error(m, where + ": missing 'rules' or 'tags' (which rules the entry is for; rules: [\"*\"] for all)");
            } else if (rules.isEmpty() && tags.isEmpty()) {
                error(m, where + ": 'rules' and 'tags' select no rule");
            }
            List<Action> actions = new ArrayList<>();
            List<WebhookTarget> hooks = new ArrayList<>();
            if (!k.containsKey("actions")) error(m, where + ": missing 'actions' (actions: [] silences the rules in this scope)");
            else actions(k.get("actions").getValueNode(), where, actions, hooks);
            entries.add(new Entry(name, match, rules, new LinkedHashSet<>(tags), actions, hooks));
        }
    }

    private void actions(Node n, String where, List<Action> actions, List<WebhookTarget> hooks) {
        List<Node> items = n instanceof SequenceNode s ? s.getValue() : List.of(n);
        for (Node item : items) {
            try {
                Action a = ResponseSyntax.action(plain(item));
                if (a.kind() == Kind.WEBHOOK) {
                    WebhookTarget w = webhooks.get(a.target());
                    if (w == null && !a.target().contains(":")) {
                        error(item, where + ": webhook '" + a.target() + "' is not defined under webhooks:");
                        continue;
                    }
                    hooks.add(w != null ? w : Policy.urlTarget(a.target()));
                }
                actions.add(a);
            } catch (ResponseSyntax.Invalid bad) {
                error(item, where + ": " + bad.getMessage());
            }
        }
        String conflict = ResponseSyntax.conflict(actions);
        if (conflict != null) error(n, where + ": " + conflict);
    }

    private Scope scope(Node n, String where) {
        if (!(n instanceof MappingNode m)) { error(n, where + ": match: expected a mapping"); return Scope.EVERYWHERE; }
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode());
            try {
                ResponseSyntax.scopeEntry(String.valueOf(key), plain(t.getValueNode()), patterns, labels);
            } catch (ResponseSyntax.Invalid bad) {
                Node at = bad.getMessage().startsWith("unknown scope key") ? t.getKeyNode() : t.getValueNode();
                error(at, where + ": match: " + bad.getMessage());
            }
        }
        return new Scope(patterns, labels);
    }

    // ---- values

    private List<String> strings(Node n, String where) {
        if (n instanceof ScalarNode) return scalar(n) == null ? List.of() : List.of(scalar(n));
        List<String> out = new ArrayList<>();
        if (n instanceof SequenceNode s) {
            for (Node i : s.getValue()) {
                String v = scalar(i);
                if (v == null) error(i, where + ": expected a string");
                else out.add(v);
            }
            return out;
        }
        error(n, where + ": expected a string or a list of strings");
        return out;
    }

    /** A duration such as 500ms, 60s, 5m, 1h; "0" only where zero means "disabled". */
    private Duration duration(Node n, String where, boolean zeroAllowed) {
        String s = scalar(n);
        Matcher m = s == null ? null : DURATION.matcher(s.strip());
        if (s != null && s.strip().equals("0") && zeroAllowed) return Duration.ZERO;
        if (m == null || !m.matches()) {
            error(n, where + ": bad duration " + show(n) + " (use e.g. 500ms, 60s, 5m, 1h" + (zeroAllowed ? ", or 0 to disable)" : ")"));
            return null;
        }
        long v = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(v);
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            default -> Duration.ofHours(v);
        };
        if (d.isZero() && !zeroAllowed) { error(n, where + ": must be more than 0"); return null; }
        return d;
    }

    /** A rate such as 20/s, 600/m, 1000/h, or 0 (no limit); returns -1 after an error. */
    private double rate(Node n) {
        String s = scalar(n);
        if (s != null && s.strip().equals("0")) return 0;
        Matcher m = s == null ? null : RATE.matcher(s.strip());
        if (m == null || !m.matches()) {
            error(n, "rate_limit: bad rate " + show(n) + " (use e.g. 20/s, 600/m, 1000/h, or 0 to disable)");
            return -1;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "s" -> v;
            case "m" -> v / 60;
            default -> v / 3600;
        };
    }

    /** Expands {@code ${env:NAME}}; a variable that is not set is an error (returns null). */
    private String expand(Node at, String s) {
        if (s == null) return null;
        Matcher m = ENV_REF.matcher(s);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                error(at, "environment variable " + m.group(1) + " is not set");
                ok = false;
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    /** The keys of a mapping; an unknown or repeated key is an error. */
    private Map<String, NodeTuple> keys(MappingNode m, Set<String> known) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode());
            if (k == null || !known.contains(k)) {
                error(t.getKeyNode(), "unknown key " + show(t.getKeyNode()) + " (use " + String.join(", ", known.stream().sorted().toList()) + ")");
            } else if (out.putIfAbsent(k, t) != null) {
                error(t.getKeyNode(), "duplicate key '" + k + "'");
            }
        }
        return out;
    }

    /** A scalar's text, or null for a null scalar or a collection. */
    private static String scalar(Node n) {
        if (!(n instanceof ScalarNode s) || s.getTag().equals(Tag.NULL)) return null;
        return s.getValue();
    }

    /** The node as SnakeYAML would construct it, with every scalar a String. */
    private static Object plain(Node n) {
        return switch (n) {
            case ScalarNode s -> s.getTag().equals(Tag.NULL) ? null : s.getValue();
            case SequenceNode s -> s.getValue().stream().map(PolicyReader::plain).toList();
            case MappingNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) out.put(String.valueOf(plain(t.getKeyNode())), plain(t.getValueNode()));
                yield out;
            }
            default -> null;
        };
    }

    private static String show(Node n) {
        String s = scalar(n);
        return s != null ? "'" + s + "'" : "(" + n.getNodeId().name() + ")";
    }

    private void error(Node n, String message) {
        problems.add(at(n) + message);
    }

    private String at(Node n) { return at(n.getStartMark()); }

    private String at(Mark m) {
        return m == null ? file + ": " : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }
}
