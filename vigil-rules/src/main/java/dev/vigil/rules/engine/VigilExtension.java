package dev.vigil.rules.engine;

import java.util.List;
import java.util.Map;

/**
 * Vigil's extension of a rule, from its {@code vigil:} key (ignored by Falco): what to do on a match and where
 * the rule applies. The response layer acts on it; the rule engine only parses and validates it.
 *
 * <pre>
 * vigil:
 *   actions: [alert, block, kill, {webhook: https://hooks.example/x}]
 *   scope: {project: [shop], environment: [prod], labels: {team: payments}}
 * </pre>
 */
public record VigilExtension(List<Action> actions, Map<String, List<String>> scope, Map<String, String> labels) {
    public VigilExtension {
        actions = List.copyOf(actions);
        scope = Map.copyOf(scope);
        labels = Map.copyOf(labels);
    }

    /** An action: alert (the default), block the syscall, kill the process, or POST to a webhook. */
    public record Action(Kind kind, String target) {
        public enum Kind { ALERT, BLOCK, KILL, WEBHOOK }
    }

    /** Whether the rule applies to a workload with these attributes (empty scope: everywhere). */
    public boolean appliesTo(String project, String environment, Map<String, String> workloadLabels) {
        List<String> p = scope.get("project");
        if (p != null && !p.contains(project)) return false;
        List<String> e = scope.get("environment");
        if (e != null && !e.contains(environment)) return false;
        for (var l : labels.entrySet()) if (!l.getValue().equals(workloadLabels.get(l.getKey()))) return false;
        return true;
    }
}
