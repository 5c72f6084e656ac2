package dev.vigil.capture;

/** How watched syscalls reach Vigil; chosen at start from what the kernel offers and reported (never silent). */
public enum CaptureMode {
    /** seccomp SECCOMP_RET_USER_NOTIF to a supervisor thread (kernel ≥ 5.6 with pidfd_getfd): ~3 µs per event. */
    NOTIFY("seccomp user notification"),
    /** seccomp SECCOMP_RET_TRACE stops on the tracer thread (kernels without user notification): 15–65 µs. */
    TRACE("seccomp RET_TRACE ptrace stops"),
    /** No filter: PTRACE_SYSCALL stops on every syscall; slow, but no no_new_privs and setuid binaries work. */
    PTRACE_ONLY("ptrace syscall stops, no seccomp filter");

    private final String description;

    CaptureMode(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
