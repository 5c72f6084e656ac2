package dev.vigil.response.policy;

import java.util.List;

/**
 * What to do when one rule matches in one workload. Immutable.
 *
 * @param alert     raise the alert ({@code false}: silenced in this scope)
 * @param block     fail the syscall with {@code errno}
 * @param errno     the errno number a block answers with (0 when not blocking)
 * @param errnoName its name, e.g. "EPERM" (null when not blocking)
 * @param kill      what to kill, or null for no kill
 * @param webhooks  where to POST a finding
 * @param dryRun    block and kill are only reported ("would"), not done; {@code block} and {@code kill} still
 *                  say what would have been done
 * @param source    where the plan comes from: "policy NAME", "rule file" or "default"
 */
public record ResponsePlan(boolean alert, boolean block, int errno, String errnoName, KillTarget kill,
                           List<WebhookTarget> webhooks, boolean dryRun, String source) {
    public ResponsePlan {
        webhooks = List.copyOf(webhooks);
    }

    /** Whether the plan acts on the syscall (block or kill), judged when the syscall is attempted. */
    public boolean enforcing() { return block || kill != null; }

    /** Only the alert. */
    public static ResponsePlan alertOnly(String source) {
        return new ResponsePlan(true, false, 0, null, null, List.of(), false, source);
    }
}
