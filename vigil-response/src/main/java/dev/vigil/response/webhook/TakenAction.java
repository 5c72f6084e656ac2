package dev.vigil.response.webhook;

/**
 * One action taken (or not) on a match, as a finding reports it.
 *
 * @param action  "block", "kill", "dry-run:block", "dry-run:kill", ...
 * @param outcome "done", "failed" or "would" (dry run)
 * @param detail  e.g. "EACCES" or "pid 4711", or null
 */
public record TakenAction(String action, String outcome, String detail) {}
