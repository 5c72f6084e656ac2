/**
 * Capture layer: runs a workload under ptrace and a seccomp filter and reports raw facts to the state layer.
 *
 * <p>{@link dev.vigil.capture.CaptureSession} spawns the exec stub, picks the {@link dev.vigil.capture.CaptureMode}
 * the kernel allows, runs the tracer thread ({@code .tracer}) and, in notify mode, the supervisor thread
 * ({@code .notify}). Process-tree facts go to a {@link dev.vigil.capture.ProcessSink} on the tracer thread;
 * watched syscalls go to a {@link dev.vigil.capture.SyscallHandler} on whichever capture thread saw them, and its
 * answer (allow, or an errno) goes back to the kernel while the syscall is still stopped.
 *
 * <p>Depends on the JDK only. Never imports events, rules or outputs.
 */
package dev.vigil.capture;
