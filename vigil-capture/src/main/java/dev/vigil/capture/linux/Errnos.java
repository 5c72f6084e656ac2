package dev.vigil.capture.linux;

/** errno values the capture layer tests for (identical on x86_64 and aarch64). */
public final class Errnos {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, ECHILD = 10, EAGAIN = 11,
            EACCES = 13, EFAULT = 14, EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95;

    private Errnos() {}
}
