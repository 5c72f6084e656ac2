package dev.vigil.capture;

/**
 * Receives the watched syscalls at entry, on the capture thread that saw them (the notify supervisor or the
 * tracer), while the caller is stopped. Returns 0 to let the syscall run, or a positive errno to fail it with
 * (the block verdict of the response layer). Must not throw; a throw is counted and the syscall allowed.
 */
@FunctionalInterface
public interface SyscallHandler {
    /**
     * Returned by {@link #onSyscall} at a ptrace stop of a syscall in {@link CaptureConfig#needExit()}: run the
     * syscall and call {@link #onExit} with its result.
     */
    int WANT_EXIT = -1;

    int onSyscall(SyscallStop stop);

    /**
     * The result of a syscall for which {@link #onSyscall} returned {@link #WANT_EXIT}, on the tracer thread at
     * the syscall-exit stop. {@code stop} holds the entry arguments again. Must not throw.
     */
    default void onExit(SyscallStop stop, long result) {}

    /** Watches nothing: every syscall runs. */
    SyscallHandler ALLOW_ALL = stop -> 0;
}
