package dev.vigil.capture.linux;

/** A failed system call during setup, naming the call, its target and errno ("PTRACE_SEIZE(pid 42): EPERM ..."). */
public final class LinuxException extends RuntimeException {
    private final int errno;

    public LinuxException(String call, int errno) {
        super(call + ": " + Libc.errorName(errno) + " (" + Libc.strerror(errno) + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
