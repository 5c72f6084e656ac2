package dev.vigil.capture;

/**
 * Receives the watched syscalls at entry, on the capture thread that saw them (the notify supervisor or the
 * tracer), while the caller is stopped. Returns 0 to let the syscall run, or a positive errno to fail it with
 * (the block verdict of the response layer). Must not throw; a throw is counted and the syscall allowed.
 */
@FunctionalInterface
public interface SyscallHandler {
    int onSyscall(SyscallStop stop);

    /** Watches nothing: every syscall runs. */
    SyscallHandler ALLOW_ALL = stop -> 0;
}
