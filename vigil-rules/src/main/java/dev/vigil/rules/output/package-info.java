/**
 * Alerts: {@link dev.vigil.rules.output.OutputTemplate} compiles a rule's {@code output} (its {@code %field}
 * references bound once); {@link dev.vigil.rules.output.AlertFormatter} builds an
 * {@link dev.vigil.rules.output.Alert} from a match and renders it as Falco's JSON (keys time, rule, priority,
 * output, output_fields, source, tags, hostname) or as a text line; {@link dev.vigil.rules.output.AlertSink}s
 * write alerts to stdout, a file, or an HTTP endpoint such as Falcosidekick.
 *
 * <p>Layer: rules (its last stage); the output module may wrap these sinks. Formatting runs on the evaluating
 * thread (it reads the thread-confined context); sinks are thread-safe.
 */
package dev.vigil.rules.output;
