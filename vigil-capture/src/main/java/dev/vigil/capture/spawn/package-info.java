/**
 * Launching the workload: resolving the command like a shell does ({@link dev.vigil.capture.spawn.CommandResolver}),
 * finding the C exec stub ({@link dev.vigil.capture.spawn.ExecStub}), and PID-1 duties that are not tracing:
 * forwarding termination signals to the workload ({@link dev.vigil.capture.spawn.SignalForwarder}).
 */
package dev.vigil.capture.spawn;
