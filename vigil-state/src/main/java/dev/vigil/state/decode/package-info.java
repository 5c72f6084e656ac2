/**
 * Syscall decoding: turns a watched syscall, stopped at entry ({@code capture.SyscallStop}), into a typed event
 * with its process context, and returns the verdict for it. One class per family: {@link
 * dev.vigil.state.decode.FileDecoder}, {@link dev.vigil.state.decode.NetDecoder} (sockets and DNS),
 * {@link dev.vigil.state.decode.IdentityDecoder}; {@link dev.vigil.state.decode.SyscallDecoder} dispatches.
 *
 * <p>Runs on the capture thread that saw the syscall (the notify supervisor, or the tracer), while the caller
 * waits: decoders read the caller's memory once, never /proc per syscall (except the documented lazy fd and cwd
 * look-ups), and never throw on garbage: unreadable memory becomes a marked value in a well-formed event.
 *
 * <p>fd state is resolved lazily from {@code /proc/<pid>/fd} when an event needs it (fchmod, ftruncate, fchdir,
 * a dirfd): tracing close/dup*&#47;fcntl to keep a table would put a notification on some of the hottest
 * syscalls of every workload, while events that need an fd's path are rare.
 */
package dev.vigil.state.decode;
