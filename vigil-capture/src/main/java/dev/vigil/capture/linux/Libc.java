package dev.vigil.capture.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libc and raw-syscall bindings used by the capture layer: process spawn and wait, signals, pidfds, poll,
 * eventfd, signalfd. An instance owns its errno slot and belongs to one thread; calls return -errno on failure
 * (the hot path takes errno as a value), {@code ...OrThrow} variants throw {@link LinuxException}.
 */
public final class Libc {
    private static final MethodHandle POSIX_SPAWN = Native.link("posix_spawn", FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    /**
     * A C function that returns without side effects, used as a signal handler whose only purpose is to make
     * a blocking syscall return EINTR (abs(3) reads its int argument and returns; a Java upcall must never
     * run in a signal handler).
     */
    private static final MemorySegment NO_OP_HANDLER = Native.LIBC.find("abs").orElseThrow();
    /** glibc's struct sigaction on x86_64 and aarch64: handler, 128-byte mask, int flags, restorer. */
    private static final long SIGACTION_SIZE = 152, SA_FLAGS_OFFSET = 136;
    public static final int SIGURG = 23;
    /** C functions called at most a few times a run: linked on first use, so that start-up does not pay for them. */
    private static final class Rare {
        static final MethodHandle SIGACTION = Native.link("sigaction",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle STRERROR = Native.link("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
    /** errno slot of the static calls, which cannot fail (getpid, gettid) or ignore why they did (tgkill). */
    private static final MemorySegment STATIC_CALL_STATE = Arena.global().allocate(Native.CALL_STATE_LAYOUT);
    private static final MemorySegment ENVIRON = Native.LIBC.find("environ").orElseThrow()
            .reinterpret(ADDRESS.byteSize());

    public static final int WNOHANG = 1, WUNTRACED = 2, WALL = 0x40000000, WNOTHREAD = 0x20000000;
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
            SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
            SIGTRAP = 5;
    public static final short POLLIN = 1;
    public static final int EFD_CLOEXEC = 0x80000, SFD_CLOEXEC = 0x80000;

    private final MemorySegment callState;
    private final MemorySegment status;
    private final MemorySegment timeout;

    /** Binds errno capture and scratch to {@code owner}; use the instance from one thread only. */
    public Libc(Arena owner) {
        this.callState = owner.allocate(Native.CALL_STATE_LAYOUT);
        this.status = owner.allocate(JAVA_INT);
        this.timeout = owner.allocate(16, 8);
    }

    /**
     * posix_spawn(2) of {@code path} with {@code argv} and this process's own environment; returns the pid.
     * Never use ProcessBuilder in a tracing JVM: its reaper thread would steal ptrace stops (DESIGN.md).
     */
    public int spawn(String path, List<String> argv) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pid = a.allocate(JAVA_INT);
            MemorySegment args = a.allocate(ADDRESS, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) args.setAtIndex(ADDRESS, i, a.allocateFrom(argv.get(i)));
            args.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
            MemorySegment env = ENVIRON.get(ADDRESS, 0);
            int rc = (int) POSIX_SPAWN.invokeExact(pid, a.allocateFrom(path), MemorySegment.NULL,
                    MemorySegment.NULL, args, env);
            if (rc != 0) throw new LinuxException("posix_spawn(" + path + ")", rc);
            return pid.get(JAVA_INT, 0);
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** waitpid(2): returns the pid (status in {@link #lastStatus()}), 0 with WNOHANG, or -errno. */
    public int waitpid(int pid, int options) {
        return (int) Native.syscall(callState, SyscallNr.WAIT4, pid, status.address(), options, 0, 0, 0);
    }

    /** The wait status filled in by the last successful {@link #waitpid}. */
    public int lastStatus() {
        return status.get(JAVA_INT, 0);
    }

    /** kill(2); returns 0 or -errno. */
    public int kill(int pid, int sig) {
        return (int) Native.syscall(callState, SyscallNr.KILL, pid, sig, 0);
    }

    /** A raw syscall with up to six arguments; returns the result or -errno. */
    public long syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Native.syscall(callState, nr, a0, a1, a2, a3, a4, a5);
    }

    /** poll(2) over a {@code struct pollfd[]} segment (negative timeout: none); returns the count ready or -errno. */
    public int poll(MemorySegment fds, int nfds, int timeoutMs) {
        long tsp = 0;
        if (timeoutMs >= 0) {
            timeout.set(JAVA_LONG, 0, timeoutMs / 1000);
            timeout.set(JAVA_LONG, 8, (timeoutMs % 1000) * 1_000_000L);
            tsp = timeout.address();
        }
        return (int) Native.syscall(callState, SyscallNr.PPOLL, fds.address(), nfds, tsp, 0, SyscallNr.SIGSET_SIZE, 0);
    }

    public long read(int fd, MemorySegment buf, long len) {
        return Native.syscall(callState, SyscallNr.READ, fd, buf.address(), Math.min(len, buf.byteSize()));
    }

    public long write(int fd, MemorySegment buf, long len) {
        return Native.syscall(callState, SyscallNr.WRITE, fd, buf.address(), Math.min(len, buf.byteSize()));
    }

    public static final int O_RDONLY = 0, O_CLOEXEC = 0x80000;

    /** open(2) read-only of a NUL-terminated path in native memory; returns the fd or -errno. */
    public int openReadOnly(MemorySegment cpath) {
        return (int) Native.syscall(callState, SyscallNr.OPENAT, SyscallNr.AT_FDCWD, cpath.address(), O_RDONLY | O_CLOEXEC, 0, 0, 0);
    }

    /** readlink(2) of a NUL-terminated path into {@code buf}; returns the length (not NUL-terminated) or -errno. */
    public long readlink(MemorySegment cpath, MemorySegment buf) {
        return Native.syscall(callState, SyscallNr.READLINKAT, SyscallNr.AT_FDCWD, cpath.address(), buf.address(),
                buf.byteSize(), 0, 0);
    }

    public int close(int fd) {
        return (int) Native.syscall(callState, SyscallNr.CLOSE, fd, 0, 0);
    }

    public int eventfdOrThrow() {
        int r = (int) Native.syscall(callState, SyscallNr.EVENTFD2, 0, EFD_CLOEXEC, 0);
        if (r < 0) throw new LinuxException("eventfd", -r);
        return r;
    }

    /** signalfd(2) for the given signals (they must be blocked in every thread to be read from it). */
    public int signalfd(int... signals) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment set = a.allocate(128);
            long bits = 0;
            for (int s : signals) bits |= 1L << (s - 1);
            set.set(JAVA_LONG, 0, bits);
            return (int) Native.syscall(callState, SyscallNr.SIGNALFD4, -1, set.address(), SyscallNr.SIGSET_SIZE,
                    SFD_CLOEXEC, 0, 0);
        }
    }

    /** Adds 1 to an eventfd's counter, waking whoever polls it; safe from any thread. */
    public static void signalEventfd(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            new Libc(a).write(fd, one, 8);
        }
    }

    /** The calling thread's kernel id. */
    public static int gettid() {
        return (int) Native.syscall(STATIC_CALL_STATE, SyscallNr.GETTID, 0, 0, 0);
    }

    /** tgkill(2) to a thread of this process; returns 0 or -1. */
    public static int signalThread(int tid, int sig) {
        return Native.syscall(STATIC_CALL_STATE, SyscallNr.TGKILL, getpid(), tid, sig) < 0 ? -1 : 0;
    }

    /**
     * Installs a do-nothing handler for {@code sig} without SA_RESTART, so that the signal sent to a thread
     * blocked in a syscall makes that syscall return EINTR (how a blocking seccomp NOTIF_RECV is ended).
     * Returns 0 or -1.
     */
    public static int interruptingSignal(int sig) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment act = a.allocate(SIGACTION_SIZE, 8); // zeroed: empty mask, flags 0 (no SA_RESTART)
            act.set(ADDRESS, 0, NO_OP_HANDLER);
            act.set(JAVA_INT, SA_FLAGS_OFFSET, 0);
            return (int) Rare.SIGACTION.invokeExact(sig, act, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int getpid() {
        return (int) Native.syscall(STATIC_CALL_STATE, SyscallNr.GETPID, 0, 0, 0);
    }

    /** strerror(3) text for an errno value. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Rare.STRERROR.invokeExact(Math.abs(errno));
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static final String[] ERRNO_NAMES = {null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO",
        "E2BIG", "ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY",
        "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY",
        "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG",
        "ENOLCK", "ENOSYS"};

    /** Symbolic name of an errno value for messages ("EPERM"). */
    public static String errorName(int errno) {
        int e = Math.abs(errno);
        return e < ERRNO_NAMES.length && ERRNO_NAMES[e] != null ? ERRNO_NAMES[e] : "errno " + e;
    }

    /** Wait-status decoding, as the W* macros. */
    public static boolean exited(int st) { return (st & 0x7f) == 0; }
    public static int exitStatus(int st) { return (st >> 8) & 0xff; }
    public static boolean signaled(int st) { return ((st & 0x7f) + 1) >> 1 > 0 && (st & 0xff) != 0x7f; }
    public static int termSig(int st) { return st & 0x7f; }
    public static boolean coreDumped(int st) { return (st & 0x80) != 0; }
    public static boolean stopped(int st) { return (st & 0xff) == 0x7f; }
    public static int stopSig(int st) { return (st >> 8) & 0xff; }
}
