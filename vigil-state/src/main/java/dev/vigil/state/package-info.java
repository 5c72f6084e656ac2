/**
 * State layer: the process table and the turning of capture facts into typed events with process context.
 *
 * <p>{@link dev.vigil.state.ProcessTracker} implements the capture layer's {@code ProcessSink}: it is called on
 * the tracer thread while the task is stopped, reads {@code /proc/<pid>} once per exec (never per syscall), and
 * emits events through the {@link dev.vigil.state.EventEmitter}, which gives them gap-free sequence numbers.
 * The table may be read from the notify supervisor thread too, so its maps are concurrent. Depends on capture
 * and event; never on rules or outputs.
 */
package dev.vigil.state;
