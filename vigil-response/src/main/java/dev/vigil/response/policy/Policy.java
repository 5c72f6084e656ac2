package dev.vigil.response.policy;

import dev.vigil.event.Workload;
import dev.vigil.rules.compile.Glob;
import dev.vigil.rules.engine.CompiledRule;
import dev.vigil.rules.engine.VigilExtension;
import dev.vigil.rules.engine.VigilExtension.Action;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The response policy: for each rule and workload, what to do on a match. Resolution: the first policy entry
 * whose {@code match} applies to the workload and whose {@code rules}/{@code tags} select the rule; else the
 * rule's {@code vigil:} extension when its scope applies (outside its scope the rule only alerts); else alert
 * only. Immutable apart from the warnings it collects; thread-safe.
 */
public final class Policy {
    private final String name;
    private final NoiseSettings noise;
    private final Map<String, WebhookTarget> webhooks;
    private final List<PolicyReader.Entry> entries;
    private final Set<String> warnings = Collections.synchronizedSet(new LinkedHashSet<>());

    private Policy(String name, NoiseSettings noise, Map<String, WebhookTarget> webhooks, List<PolicyReader.Entry> entries) {
        this.name = name;
        this.noise = noise;
        this.webhooks = Map.copyOf(webhooks);
        this.entries = List.copyOf(entries);
    }

    /** Loads and validates a policy file; {@code env} expands {@code ${env:NAME}} (usually {@code System.getenv()}). */
    public static Policy load(Path file, Map<String, String> env) throws PolicyException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PolicyException(List.of(file + ": cannot read the policy file: " + e.getMessage()));
        }
        return parse(file.toString(), text, env);
    }

    /** Parses and validates policy text; {@code name} is the file name used in messages. */
    public static Policy parse(String name, String yamlText, Map<String, String> env) throws PolicyException {
        PolicyReader r = new PolicyReader(name, env);
        r.read(yamlText);
        return new Policy(name, r.noise, r.webhooks, r.entries);
    }

    /** No policy file: each rule's {@code vigil:} extension, else alert; default noise settings. */
    public static Policy none() {
        return new Policy(null, NoiseSettings.defaults(), Map.of(), List.of());
    }

    public NoiseSettings noise() { return noise; }

    /** The webhooks defined in the policy file, by name. */
    public Map<String, WebhookTarget> webhooks() { return webhooks; }

    /** The names of the policy entries, in order. */
    public List<String> entryNames() { return entries.stream().map(PolicyReader.Entry::name).toList(); }

    /** The policy file's name, or null for {@link #none()}. */
    public String file() { return name; }

    /**
     * Problems found while planning that did not stop Vigil, e.g. a rule's {@code {webhook: NAME}} naming a
     * webhook the policy does not define (the webhook is skipped). Each is reported once.
     */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** The response for one rule in this workload. globalDryRun turns block/kill into dry-run. */
    public ResponsePlan planFor(CompiledRule rule, Workload workload, boolean globalDryRun) {
        for (PolicyReader.Entry e : entries) {
            if (e.match().appliesTo(workload) && selects(e, rule)) {
                return plan(e.actions(), e.webhooks(), globalDryRun, "policy " + e.name());
            }
        }
        VigilExtension vx = rule.vigil();
        if (vx == null) return ResponsePlan.alertOnly("default");
        // Detection everywhere, enforcement only where the rule's author scoped it.
        if (!vx.appliesTo(workload)) return ResponsePlan.alertOnly("rule file");
        List<WebhookTarget> hooks = new ArrayList<>();
        for (Action a : vx.actions()) {
            if (a.kind() != Action.Kind.WEBHOOK) continue;
            WebhookTarget w = webhooks.get(a.target());
            if (w != null) hooks.add(w);
            else if (a.target().contains(":")) hooks.add(urlTarget(a.target()));
            else warnings.add("rule '" + rule.name() + "' (" + rule.where().position() + "): webhook '" + a.target()
                    + "' is not defined in " + (name == null ? "a policy file (none given)" : name) + "; skipped");
        }
        return plan(vx.actions(), hooks, globalDryRun, "rule file");
    }

    private static boolean selects(PolicyReader.Entry e, CompiledRule rule) {
        for (String p : e.rules()) {
            if (p.equals(rule.name()) || new Glob(p, false).matches(rule.name())) return true;
        }
        for (String t : rule.tags()) if (e.tags().contains(t)) return true;
        return false;
    }

    private static ResponsePlan plan(List<Action> actions, List<WebhookTarget> hooks, boolean globalDryRun, String source) {
        boolean alert = false, block = false, dryRun = globalDryRun;
        int errno = 0;
        String errnoName = null;
        KillTarget kill = null;
        for (Action a : actions) {
            switch (a.kind()) {
                case ALERT -> alert = true;
                case BLOCK -> { block = true; errno = a.errno(); errnoName = a.target(); }
                case KILL -> kill = a.target().equals("group") ? KillTarget.GROUP : KillTarget.PROCESS;
                case DRY_RUN -> dryRun = true;
                case WEBHOOK -> { } // resolved by the caller into hooks
            }
        }
        return new ResponsePlan(alert, block, errno, errnoName, kill, hooks, dryRun, source);
    }

    /** A webhook given by URL in an action: no headers, the default timeout. */
    static WebhookTarget urlTarget(String url) {
        return new WebhookTarget(url, URI.create(url), Map.of(), WebhookTarget.DEFAULT_TIMEOUT);
    }

    @Override public String toString() {
        return "policy " + (name == null ? "(none)" : name) + " " + entryNames();
    }
}
