package dev.vigil.capture.linux;

/**
 * Numbers of the syscalls the bindings make themselves, for the machine's architecture ({@code asm/unistd_64.h}
 * on x86_64, {@code asm-generic/unistd.h} on aarch64, which lacks open, readlink, poll and the other pre-*at calls:
 * the *at and p* forms serve both). What Vigil watches in the workload is numbered by
 * {@link dev.vigil.capture.syscall.SyscallTable}; these are only the sensor's own calls.
 */
final class SyscallNr {
    private static final boolean X86_64 = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        case "aarch64", "arm64" -> false;
        default -> throw new UnsupportedOperationException("Vigil supports x86_64 and aarch64, not "
                + System.getProperty("os.arch"));
    };

    static final long READ = nr(0, 63), WRITE = nr(1, 64), CLOSE = nr(3, 57), IOCTL = nr(16, 29),
            GETPID = nr(39, 172), GETTID = nr(186, 178), KILL = nr(62, 129), TGKILL = nr(234, 131),
            WAIT4 = nr(61, 260), PTRACE = nr(101, 117), OPENAT = nr(257, 56), READLINKAT = nr(267, 78),
            PPOLL = nr(271, 73), EVENTFD2 = nr(290, 19), SIGNALFD4 = nr(289, 74), EPOLL_CREATE1 = nr(291, 20),
            EPOLL_CTL = nr(233, 21), EPOLL_PWAIT = nr(281, 22), PROCESS_VM_READV = nr(310, 270),
            RECVFROM = nr(45, 207), GETSOCKNAME = nr(51, 204), GETPEERNAME = nr(52, 205), GETSOCKOPT = nr(55, 209);

    /** dirfd meaning "relative to the cwd" for the *at calls. */
    static final long AT_FDCWD = -100;
    /** Size of the kernel's sigset_t, as ppoll, epoll_pwait and signalfd4 want it. */
    static final long SIGSET_SIZE = 8;

    private SyscallNr() {}

    private static long nr(int x86_64, int aarch64) {
        return X86_64 ? x86_64 : aarch64;
    }
}
