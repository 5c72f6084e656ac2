package dev.vigil.rules.engine;

import dev.vigil.event.Workload;
import java.util.List;

/**
 * Vigil's extension of a rule, from its {@code vigil:} key (ignored by Falco): what to do on a match and where
 * the rule applies. The response layer acts on it; the rule engine only parses and validates it
 * ({@link ResponseSyntax}).
 *
 * <pre>
 * vigil:
 *   actions: [alert, {block: EACCES}, {kill: group}, {webhook: https://hooks.example/x}, dry-run]
 *   scope: {project: [shop], environment: [prod], workload: ["api-*"], image: ["registry/shop/*"],
 *           labels: {team: payments}}
 * </pre>
 */
public record VigilExtension(List<Action> actions, Scope scope) {
    public VigilExtension {
        actions = List.copyOf(actions);
        if (scope == null) scope = Scope.EVERYWHERE;
    }

    /**
     * One action. {@code target} is the errno name for BLOCK ("EPERM" by default), "process" or "group" for
     * KILL, the URL or the policy's webhook name for WEBHOOK, null for ALERT and DRY_RUN.
     */
    public record Action(Kind kind, String target) {
        public enum Kind { ALERT, BLOCK, KILL, WEBHOOK, DRY_RUN }

        /** The errno number a BLOCK answers with (-1 for other kinds). */
        public int errno() { return kind == Kind.BLOCK ? dev.vigil.event.Errno.number(target) : -1; }
    }

    /** Whether the extension's scope applies to the workload (empty scope: everywhere). */
    public boolean appliesTo(Workload w) { return scope.appliesTo(w); }
}
