package dev.vigil.event;

/**
 * What the sensor did because a rule matched, so that hunting sees every enforcement: a syscall blocked, a
 * process (or its group) killed, a finding posted to a webhook; with {@code dryRun}, what it would have done.
 * {@code process} is the process acted on.
 *
 * @param action      block, kill or webhook
 * @param outcome     done, failed (see {@code detail}), would (dry-run) or queued (webhook, delivered later)
 * @param policy      where the action came from: "policy NAME", "rule file" (the rule's vigil: key) or "default"
 * @param triggerId   the id of the event the rule matched (for a blocked syscall, the event recording it)
 * @param triggerType that event's {@code evt_type}
 * @param errno       the errno a blocked syscall returned, else 0
 * @param targetPid   the pid killed (for a group: the negated process group id), else 0
 */
public record ResponseAction(EventHeader header, ProcessInfo process, String action, boolean dryRun, String outcome,
                             String rule, String priority, String policy, String triggerId, String triggerType,
                             int errno, int targetPid, String detail) implements Event {
    @Override public String kind() { return "response." + action; }
    @Override public String evtType() { return "response"; }
}
